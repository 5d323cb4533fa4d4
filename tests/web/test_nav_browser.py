"""The main navigation in a real browser: condensed on phones, whole on desktops.

At 360 px a volunteer's or staff member's links would wrap to three rows; the
bar keeps Practice and Clubs and a native ``<details>`` "Menu" holds the rest,
so it works without JavaScript. See conftest.py for the axe, CSP and
same-origin checks.
"""

import pytest

from tests.factories import StaffFactory, UserFactory, VolunteerFactory
from tests.web.test_browser import log_in, path_of

IN_THE_BAR = ["Practice", "Clubs"]
IN_THE_MENU = {
    "newcomer": ["Progress", "My sessions", "Rooms", "Profile"],
    "volunteer": ["Progress", "My sessions", "Rooms", "Profile", "Hosting", "Disputes"],
    "staff": [
        "Progress",
        "My sessions",
        "Rooms",
        "Profile",
        "Hosting",
        "Disputes",
        "Reports",
    ],
}
PATHS = {
    "Practice": "/practice/",
    "Progress": "/progress/",
    "Clubs": "/clubs/",
    "My sessions": "/me/sessions/",
    "Rooms": "/rooms/",
    "Profile": "/profile/",
    "Hosting": "/host/",
    "Disputes": "/disputes/",
    "Reports": "/reports/participation/",
}
PEOPLE = {"newcomer": UserFactory, "volunteer": VolunteerFactory, "staff": StaffFactory}


def signed_in(visit, who: str, **options):
    PEOPLE[who](email=f"{who}@example.org")
    v = visit(**options)
    log_in(v, f"{who}@example.org")
    return v


def nav(page):
    return page.get_by_role("navigation", name="Main")


def nav_link(page, name: str):
    return nav(page).get_by_role("link", name=name, exact=True)


def rows_of_links(page) -> float:
    """The navigation's height in link heights (one row of links is 1)."""
    nav_box = nav(page).bounding_box()
    link_box = nav_link(page, "Practice").bounding_box()
    return nav_box["height"] / link_box["height"]


@pytest.mark.parametrize("who", ["volunteer", "staff"])
def test_on_a_phone_the_nav_is_short_and_the_menu_holds_the_rest(
    visit, transactional_db, who
):
    v = signed_in(visit, who)
    page = v.page
    v.goto("/clubs/")
    assert rows_of_links(page) <= 2
    # The whole header takes at most two rows of links too.
    header = page.locator("header.top").bounding_box()["height"]
    assert header <= 2 * nav_link(page, "Practice").bounding_box()["height"] + 16
    for name in IN_THE_BAR:
        assert nav_link(page, name).is_visible(), name
    for name in IN_THE_MENU[who]:
        assert nav_link(page, name).count() == 0, name  # not even for a reader
    assert nav_link(page, "Clubs").get_attribute("aria-current") == "page"
    v.check_page(f"nav-{who}-closed")

    # The summary is a focusable control named "Menu" that says it is closed.
    menu = nav(page).locator("summary")
    assert menu.inner_text().strip() == "Menu"
    page.keyboard.press("Tab")  # the skip link
    for _ in range(1 + len(IN_THE_BAR) + 1):  # the brand, the bar, the menu
        page.keyboard.press("Tab")
    assert menu.evaluate("el => el === document.activeElement")
    assert menu.evaluate("el => el.parentElement.open") is False
    page.keyboard.press("Enter")
    assert menu.evaluate("el => el.parentElement.open") is True
    for name in IN_THE_MENU[who]:
        assert nav_link(page, name).is_visible(), name
    v.check_page(f"nav-{who}-open")

    # Every link in the menu is clickable and leads to its page, where the
    # menu (closed again) marks that link as the current page.
    for name in IN_THE_MENU[who]:
        if not nav_link(page, name).is_visible():
            menu.click()
        nav_link(page, name).click()
        page.wait_for_load_state("networkidle")
        assert path_of(page.url) == PATHS[name], name
        assert nav_link(page, name).count() == 0, name
        menu.click()
        assert nav_link(page, name).get_attribute("aria-current") == "page", name
        assert rows_of_links(page) <= 2, name
    # Closed on a page it holds, the menu is marked like a current link.
    menu.click()
    v.shot(f"nav-{who}-current-in-menu")
    assert v.csp_errors == [] and v.foreign == []


def test_a_newcomers_nav_fits_one_row_on_a_phone(visit, transactional_db):
    v = signed_in(visit, "newcomer")
    page = v.page
    v.goto("/practice/")
    assert rows_of_links(page) <= 1.05
    nav(page).locator("summary").click()
    for name in IN_THE_MENU["newcomer"]:
        assert nav_link(page, name).is_visible(), name
    v.check_page("nav-newcomer-open")


@pytest.mark.parametrize("who", ["newcomer", "volunteer", "staff"])
def test_on_a_desktop_every_link_is_in_one_row(visit, transactional_db, who):
    v = signed_in(visit, who)
    page = v.page
    page.set_viewport_size({"width": 1024, "height": 768})
    v.goto("/clubs/")
    for name in IN_THE_BAR + IN_THE_MENU[who]:
        assert nav_link(page, name).is_visible(), name
    assert nav(page).locator("summary").is_hidden()
    assert rows_of_links(page) <= 1.05
    nav_link(page, IN_THE_MENU[who][-1]).click()
    page.wait_for_load_state("networkidle")
    assert path_of(page.url) == PATHS[IN_THE_MENU[who][-1]]
    v.check_page(f"nav-{who}-desktop")


def test_signed_out_the_nav_has_no_menu(visit, transactional_db):
    v = visit()
    v.goto("/")
    assert nav(v.page).locator("summary").count() == 0
    assert nav_link(v.page, "Log in").is_visible()
    assert nav_link(v.page, "Sign up").is_visible()


def test_the_menu_works_without_javascript(visit, transactional_db):
    v = signed_in(visit, "staff", java_script_enabled=False)
    page = v.page
    v.goto("/practice/")
    assert nav_link(page, "Reports").count() == 0
    nav(page).get_by_text("Menu").click()
    nav_link(page, "Reports").click()
    page.wait_for_load_state("networkidle")
    assert path_of(page.url) == "/reports/participation/"
    assert v.csp_errors == [] and v.foreign == []

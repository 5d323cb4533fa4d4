"""The whole club journey in a real browser, host and newcomers together.

A volunteer creates a club and a session in the host pages. Two newcomers, in
their own browser contexts, sign up for its last place: one gets it, the
other is waitlisted at number 1. The first cancels and the second sees the
place. After the start the host marks attendance on the host page, and the
second newcomer checks in with the code the host's page shows the room.
(Each half is also tested on its own in test_host_browser.py and
test_club_browser.py, with their screenshots.)
"""

from datetime import timedelta

from django.utils import timezone

from clubs.models import Club, Registration, Session
from clubs.services.registrations import registration_create
from tests.factories import UserFactory, VolunteerFactory
from tests.web.test_browser import log_in, path_of
from tests.web.test_club_browser import off_the_loop


def click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name, exact=True).click()
    page.wait_for_load_state("networkidle")


def status_of(session: Session, user) -> str:
    return (
        Registration.objects.exclude(status="cancelled")
        .get(session=session, user=user)
        .status
    )


def test_a_volunteer_hosts_and_two_newcomers_share_the_last_place(
    visit, transactional_db
):
    VolunteerFactory(email="janis@example.org", display_name="Jānis")
    ilze = UserFactory(display_name="Ilze", level="A1")
    olena = UserFactory(display_name="Olena", level="A2")
    taras = UserFactory(display_name="Taras", level="A2")

    # The volunteer creates the club and a one-off session with two places.
    host = visit()
    log_in(host, "janis@example.org")
    host.goto("/host/")
    click(host.page, "link", "New club")
    host.page.get_by_label("Name").fill("Runātava")
    host.page.get_by_label("Lowest level").select_option("A1")
    host.page.get_by_label("Highest level").select_option("B1")
    host.page.get_by_label("Address").fill("Brīvības iela 49, Rīga")
    host.page.get_by_label("Weekday").select_option("3")
    host.page.get_by_label("Start time").fill("18:30")
    host.page.get_by_label("Places", exact=True).fill("8")
    click(host.page, "button", "Create the club")
    club = Club.objects.get(name="Runātava")
    click(host.page, "link", "Add a one-off session")
    day = (timezone.now() + timedelta(days=3)).date()
    host.page.get_by_label("Starts").fill(f"{day}T17:00")
    host.page.get_by_label("Topic").fill("Dzīvokļa īre")
    host.page.get_by_label("Places").fill("2")
    click(host.page, "button", "Add the session")
    session = Session.objects.get(club=club, topic="Dzīvokļa īre")
    assert path_of(host.page.url) == f"/host/sessions/{session.pk}/"

    # Someone already has one of the two places.
    off_the_loop(registration_create, session_id=session.pk, user=ilze)

    # Two newcomers find the session and sign up for the last place.
    first = visit()
    log_in(first, olena.email)
    first.goto("/clubs/")
    click(first.page, "link", "Dzīvokļa īre")
    assert path_of(first.page.url) == f"/sessions/{session.pk}/"
    click(first.page, "button", "Sign up")
    assert first.page.get_by_text("You have a place. See you there!").is_visible()

    second = visit()
    log_in(second, taras.email)
    second.goto(f"/sessions/{session.pk}/")
    click(second.page, "button", "Join the waitlist")
    assert (
        second.page.locator("#waitlist-position")
        .inner_text()
        .startswith("You are number 1 on the waitlist.")
    )
    assert (status_of(session, olena), status_of(session, taras)) == (
        "confirmed",
        "waitlisted",
    )

    # The first cancels: the place goes to the second.
    click(first.page, "button", "Cancel my place")
    second.page.reload()
    second.page.wait_for_load_state("networkidle")
    assert second.page.get_by_text("You have a place", exact=True).is_visible()
    assert status_of(session, taras) == "confirmed"

    # The session begins. The host marks Ilze present and shows the code.
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=85)
    )
    host.goto(f"/host/sessions/{session.pk}/")
    ilze_row = host.page.locator(f"li[data-user='{ilze.pk}']")
    ilze_row.get_by_role("button", name="Attended").click()
    host.page.wait_for_load_state("networkidle")
    assert ilze_row.locator("[data-status]").inner_text() == "Attended"
    code = host.page.locator("#session-code").inner_text()

    # Taras types the code he reads off the host's screen.
    second.goto(f"/sessions/{session.pk}/")
    second.page.get_by_label("Check-in code").fill(code)
    click(second.page, "button", "Check in")
    assert second.page.get_by_text("You are checked in").is_visible()

    host.page.reload()
    host.page.wait_for_load_state("networkidle")
    taras_row = host.page.locator(f"li[data-user='{taras.pk}']")
    assert taras_row.locator("[data-status]").inner_text() == "Attended"
    assert not host.page.locator(f"li[data-user='{olena.pk}']").count()
    assert (status_of(session, ilze), status_of(session, taras)) == (
        "attended",
        "attended",
    )
    host.check_page("journey-host-after")

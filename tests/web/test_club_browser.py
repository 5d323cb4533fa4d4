"""The newcomers' half of the club journey in a real browser at 360×740.

A volunteer's club has a session with one place. Two newcomers, each in their
own browser context, sign up for it: one gets the place, the other the
waitlist. The first cancels and the second has the place. After the start the
host marks the second a no-show (they are late), and they check in with the
session's code on its page and leave feedback. (The host's half, the pages
for creating clubs and taking attendance, is in the host pages' tests.)
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest
from django import db
from django.utils import timezone

from clubs.models import Feedback, Registration, Session
from clubs.services import attendance, clubs, sessions
from tests.factories import UserFactory, VolunteerFactory
from tests.web.test_browser import log_in, path_of

ONLINE_URL = "https://meet.example.org/runa-secret-room"


def off_the_loop(service, **kwargs):
    """Call a service outside this thread's Playwright event loop: its
    broadcasts after commit use async_to_sync, which refuses to run there."""

    def call():
        try:
            return service(**kwargs)
        finally:
            # The worker's own connection: left open, it would keep the test
            # database from being dropped.
            db.connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@pytest.fixture
def last_place(transactional_db):
    host = VolunteerFactory(display_name="Jānis")
    club = clubs.club_create(
        user=host,
        data={
            "name": "Runātava",
            "description": "Sarunas latviešu valodā iesācējiem.",
            "language": "lv",
            "level_min": "A1",
            "level_max": "A2",
            "city": "riga",
            "address": "Brīvības iela 49/53, Rīga",
            "online": True,
            "online_url": ONLINE_URL,
            "weekday": 2,
            "start_time": time(18, 0),
            "duration_minutes": 90,
            "capacity": 8,
        },
    )
    # Half past: the club's own sessions start at 18:00 on Wednesdays, so one
    # on the hour tomorrow collided with them when run on a Tuesday at 18:00.
    starts = (timezone.now() + timedelta(days=1)).replace(
        minute=30, second=0, microsecond=0
    )
    session = sessions.session_create(
        club=club,
        data={"starts_at": starts, "topic": "Pie ārsta", "level": "A2", "capacity": 1},
    )
    return session


def test_two_newcomers_one_place_waitlist_cancel_check_in(visit, last_place):
    olena = UserFactory(display_name="Olena", time_zone="Europe/Kyiv")
    taras = UserFactory(display_name="Taras")
    path = f"/sessions/{last_place.pk}/"

    first = visit()
    log_in(first, olena.email)
    first.goto("/clubs/")
    first.check_page("clubs-list")
    first.page.get_by_role("link", name="Pie ārsta").click()
    first.page.wait_for_load_state("networkidle")
    assert path_of(first.page.url) == path
    first.check_page("session")
    first.page.get_by_role("button", name="Sign up").click()
    first.page.wait_for_load_state("networkidle")
    assert first.page.get_by_text("You have a place. See you there!").is_visible()
    assert ONLINE_URL in first.page.content()
    first.check_page("session-confirmed")

    second = visit()
    log_in(second, taras.email)
    second.goto(path)
    assert second.page.get_by_text("Full · the waitlist is open").is_visible()
    second.page.get_by_role("button", name="Join the waitlist").click()
    second.page.wait_for_load_state("networkidle")
    assert (
        second.page.locator("#waitlist-position")
        .inner_text()
        .startswith("You are number 1 on the waitlist.")
    )
    assert ONLINE_URL not in second.page.content()
    assert "meet.example.org" not in second.page.content()
    second.check_page("session-waitlisted")

    first.page.get_by_role("button", name="Cancel my place").click()
    first.page.wait_for_load_state("networkidle")
    assert first.page.get_by_text("You are no longer signed up").is_visible()
    assert ONLINE_URL not in first.page.content()

    second.page.reload()
    second.page.wait_for_load_state("networkidle")
    assert second.page.get_by_text("You have a place", exact=True).is_visible()
    assert ONLINE_URL in second.page.content()
    assert second.page.get_by_role("link", name="Open the chat room").get_attribute(
        "href"
    ) == (f"/rooms/{last_place.pk}/")

    # The session starts; the host marks Taras absent, then Taras arrives late
    # and checks in with the code the host shows the room.
    now = timezone.now()
    Session.objects.filter(pk=last_place.pk).update(
        starts_at=now - timedelta(minutes=15), ends_at=now + timedelta(minutes=75)
    )
    off_the_loop(
        attendance.attendance_mark,
        session_id=last_place.pk,
        user_id=taras.pk,
        status="no_show",
    )
    second.goto(path)
    assert second.page.get_by_text("The host marked you as not attended.").is_visible()
    second.check_page("session-check-in")
    second.page.get_by_label("Check-in code").fill("WRONG1")
    second.page.get_by_role("button", name="Check in").click()
    second.page.wait_for_load_state("networkidle")
    assert second.page.get_by_text("This check-in code is not right.").is_visible()
    assert Registration.objects.get(user=taras).status == "no_show"
    second.check_page("session-check-in-wrong")
    second.page.get_by_label("Check-in code").fill(last_place.check_in_code.lower())
    second.page.get_by_role("button", name="Check in").click()
    second.page.wait_for_load_state("networkidle")
    assert second.page.get_by_text("You are checked in").is_visible()
    assert Registration.objects.get(user=taras).status == "attended"

    second.page.get_by_label("5 – very good").check()
    second.page.get_by_label("Comment (optional)").fill("Ļoti noderīgi!")
    second.page.get_by_role("button", name="Send feedback").click()
    second.page.wait_for_load_state("networkidle")
    assert second.page.get_by_text("Thank you for your feedback.").is_visible()
    second.check_page("session-feedback")
    assert Feedback.objects.get().rating == 5

    second.goto("/me/sessions/")
    assert "You attended" in second.page.locator("#upcoming").inner_text()
    second.check_page("my-sessions")

    first.goto("/me/sessions/")
    assert "You cancelled" in first.page.locator("#upcoming").inner_text()


def test_week_view_filters_feed_copy_and_volunteer_pages(visit, last_place):
    newcomer = UserFactory(display_name="Olena")
    v = visit(permissions=["clipboard-read", "clipboard-write"])
    log_in(v, newcomer.email)
    v.goto("/clubs/?view=week")
    v.check_page("clubs-week")
    v.page.get_by_role("link", name="Next week →").click()
    v.page.wait_for_load_state("networkidle")
    assert "view=week&week=" in v.page.url
    v.check_page("clubs-week-next")

    # The filters are a plain GET form.
    v.goto("/clubs/")
    v.page.get_by_label("Level").select_option("B2")
    v.page.get_by_role("button", name="Show sessions").click()
    v.page.wait_for_load_state("networkidle")
    assert "level=B2" in v.page.url
    assert v.page.get_by_text("No upcoming sessions match these filters.").is_visible()
    v.check_page("clubs-filtered-empty")

    # The feed's address: visible text, a copy button (JS) and a reset form.
    v.goto(f"/sessions/{last_place.pk}/")
    feed = v.page.locator("#feed-url").input_value()
    assert "/api/v1/calendar/" in feed
    v.page.get_by_role("button", name="Copy", exact=True).click()
    v.page.wait_for_selector("#feed-url-status:has-text('Copied')")
    assert v.page.evaluate("navigator.clipboard.readText()") == feed
    v.page.get_by_role("button", name="Get a new address").click()
    v.page.wait_for_load_state("networkidle")
    assert path_of(v.page.url) == f"/sessions/{last_place.pk}/"
    assert v.page.locator("#feed-url").input_value() != feed

    v.goto("/volunteer/")
    v.check_page("volunteer")
    v.page.get_by_label("Why would you like to host?").fill(
        "Es gribu palīdzēt jaunpienācējiem runāt latviski."
    )
    v.page.get_by_label("Latvian").check()
    v.page.get_by_role("button", name="Send my application").click()
    v.page.wait_for_load_state("networkidle")
    assert v.page.get_by_text("Status: waiting for a decision.").is_visible()
    v.check_page("volunteer-pending")


def test_a_shared_session_link_leads_through_log_in_back_to_it(visit, last_place):
    newcomer = UserFactory()
    v = visit()
    v.goto(f"/sessions/{last_place.pk}/")
    assert path_of(v.page.url).startswith("/accounts/login/?next=")
    v.page.fill("input[name=login]", newcomer.email)
    v.page.fill("input[name=password]", "correct-Horse-battery-9")
    v.page.click("form.form button[type=submit]")
    v.page.wait_for_load_state("networkidle")
    assert path_of(v.page.url) == f"/sessions/{last_place.pk}/"
    assert v.page.get_by_role("heading", name="Pie ārsta").is_visible()

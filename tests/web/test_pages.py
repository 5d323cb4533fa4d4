"""The web pages over HTTP: who may see them, the CSP header, the language,
the profile form, allauth's pages and e-mails, and constant query counts."""

import re

import pytest

from backend.accounts.models import User
from exercises.models import Attempt, Dispute, PlacementTest
from tests.exercises.factories import ExerciseFactory, LatvianProfileFactory
from tests.factories import PASSWORD, UserFactory
from tests.support import auth_queries, count_queries

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = ["/profile/", "/placement/", "/practice/", "/progress/"]
PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_private_pages_send_visitors_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_render_for_visitors(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'<html lang="en">' in response.content


CSP_PAGES = [
    *PUBLIC_PAGES,
    *PRIVATE_PAGES,
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
    "/admin/",
    "/admin/login/",
    "/api/docs/",
]


@pytest.mark.parametrize("path", CSP_PAGES)
def test_every_html_page_has_a_csp_without_inline_scripts(client, staff, path):
    client.force_login(staff)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    html = response.content.decode()
    # No inline script or style: every <script> has a src or is inert JSON data.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
    assert "<style" not in html, path
    assert " onclick=" not in html and " onload=" not in html, path


def test_swagger_ui_loads_its_script_from_a_url(client, staff):
    client.force_login(staff)
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert b"SwaggerUIBundle" in response.content


# --- Language -----------------------------------------------------------------


def test_accept_language_picks_the_language_of_a_visitor(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uk")
    assert b'<html lang="uk">' in response.content
    assert response["Content-Language"] == "uk"


def test_profile_language_wins_over_accept_language(client):
    signed_in(client, UserFactory(interface_language="ru"))
    response = client.get("/practice/", HTTP_ACCEPT_LANGUAGE="uk")
    assert b'<html lang="ru">' in response.content


def test_switcher_wins_over_profile_and_updates_it(client):
    user = UserFactory(interface_language="ru")
    signed_in(client, user)
    response = client.post("/language/", {"language": "lv", "next": "/progress/"})
    assert response.status_code == 302
    assert response["Location"] == "/progress/"
    page = client.get("/progress/", HTTP_ACCEPT_LANGUAGE="uk")
    assert b'<html lang="lv">' in page.content
    user.refresh_from_db()
    assert user.interface_language == "lv"


def test_switcher_for_a_visitor_sets_only_the_cookie(client):
    response = client.post("/language/", {"language": "ru", "next": "/"})
    assert response.status_code == 302
    assert b'<html lang="ru">' in client.get("/").content


def test_switcher_refuses_unknown_languages_and_foreign_next(client):
    user = UserFactory(interface_language="en")
    signed_in(client, user)
    response = client.post(
        "/language/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.interface_language == "en"
    assert client.get("/language/").status_code == 405


def test_signup_in_ukrainian_makes_a_ukrainian_profile(client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {"email": "olena@example.org", "password1": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="uk",
    )
    assert response.status_code == 302
    assert User.objects.get(email="olena@example.org").interface_language == "uk"


def test_login_after_switching_keeps_the_switched_language(client):
    user = UserFactory(email="ivan@example.org", interface_language="en")
    client.post("/language/", {"language": "ru", "next": "/"})
    client.post("/accounts/login/", {"login": "ivan@example.org", "password": PASSWORD})
    user.refresh_from_db()
    assert user.interface_language == "ru"


# --- Profile ------------------------------------------------------------------


def test_profile_form_saves_through_the_profile_service(client):
    LatvianProfileFactory()
    user = UserFactory(interface_language="en", level="")
    signed_in(client, user)
    response = client.post(
        "/profile/",
        {
            "display_name": "Olena K.",
            "interface_language": "uk",
            "native_languages": ["uk", "ru"],
            "target_language": "lv",
            "level": "A2",
            "time_zone": "Europe/Kyiv",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Olena K."
    assert user.interface_language == "uk"
    assert user.native_languages == ["uk", "ru"]
    assert user.level == "A2"
    assert user.time_zone == "Europe/Kyiv"
    page = client.get("/profile/")
    assert b'<html lang="uk">' in page.content


def test_profile_form_shows_the_apis_error_for_a_bad_time_zone(client):
    user = UserFactory(time_zone="Europe/Riga", display_name="Same")
    signed_in(client, user)
    response = client.post(
        "/profile/",
        {
            "display_name": "Changed",
            "interface_language": "en",
            "target_language": "lv",
            "level": "",
            "time_zone": "Mars/Olympus",
        },
    )
    assert response.status_code == 200
    assert "Unknown time zone." in response.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "Europe/Riga"
    assert user.display_name == "Same"


def test_profile_form_refuses_a_too_long_name_and_unknown_choices(client):
    user = UserFactory(display_name="Same")
    signed_in(client, user)
    response = client.post(
        "/profile/",
        {
            "display_name": "x" * 81,
            "interface_language": "de",
            "target_language": "lv",
            "level": "Z9",
            "time_zone": "Europe/Riga",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="errorlist"') == 3
    user.refresh_from_db()
    assert user.display_name == "Same"


# --- Other people's data ------------------------------------------------------


def test_progress_shows_only_my_own_disputes_and_attempts(client, newcomer, stranger):
    LatvianProfileFactory()
    exercise = ExerciseFactory(kind="translate", level="A2")
    theirs = Attempt.objects.create(
        user=stranger,
        exercise=exercise,
        answer="Svešinieka atbilde",
        verdict="incorrect",
        client_attempt_id="00000000-0000-4000-8000-000000000001",
        answered_at="2026-11-30T10:00:00Z",
    )
    Dispute.objects.create(attempt=theirs, user=stranger, comment="mine")
    signed_in(client, newcomer)
    html = client.get("/progress/").content.decode()
    assert "Svešinieka atbilde" not in html
    assert 'id="total-attempts">0<' in html


def test_placement_page_never_shows_another_persons_test(client, newcomer, stranger):
    LatvianProfileFactory()
    ExerciseFactory(kind="choice", level="A2", prompt="Svešā jautājums")
    PlacementTest.objects.create(
        user=stranger,
        language="lv",
        current_level="A2",
        current_exercise=ExerciseFactory(kind="choice", prompt="Svešā jautājums"),
    )
    signed_in(client, newcomer)
    html = client.get("/placement/").content.decode()
    assert "Svešā jautājums" not in html
    assert "/placement/start/" in html


def test_placement_start_without_content_says_so(client, newcomer):
    signed_in(client, newcomer)
    response = client.post("/placement/start/", follow=True)
    assert "There are no placement exercises for this language yet." in (
        response.content.decode()
    )
    assert not PlacementTest.objects.exists()


def test_placement_start_needs_post_and_a_login(client, newcomer):
    assert client.post("/placement/start/").status_code == 302
    signed_in(client, newcomer)
    assert client.get("/placement/start/").status_code == 405


# --- allauth's pages and e-mails ----------------------------------------------


def test_password_reset_email_is_runas_own_and_links_to_the_web_page(
    client, mailoutbox
):
    UserFactory(email="jana@example.org", interface_language="lv")
    client.post(
        "/accounts/password/reset/",
        {"email": "jana@example.org"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject.startswith("Runa: ")
    assert "testserver" not in mail.body.split("http")[0]  # not "Hello from <host>"
    assert "Runa" in mail.body
    assert re.search(r"[а-я]{4}", mail.body), mail.body  # Russian, as requested
    path = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.body)
    assert path, mail.body
    page = client.get(path.group(1), follow=True)
    assert page.status_code == 200
    assert b'name="password1"' in page.content


def test_app_password_reset_link_opens_the_web_page(client, mailoutbox):
    UserFactory(email="jana@example.org")
    response = client.post(
        "/_allauth/app/v1/auth/password/request",
        {"email": "jana@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 200
    path = re.search(
        r"https?://[^/]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body
    )
    assert path, mailoutbox[0].body
    page = client.get(path.group(1), follow=True)
    assert b'name="password1"' in page.content


def test_signup_sends_runas_confirmation_link_that_verifies(client, mailoutbox):
    client.post(
        "/accounts/signup/", {"email": "olena@example.org", "password1": PASSWORD}
    )
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Hello from Runa" in body
    path = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+)", body).group(1)
    client.post(path)
    user = User.objects.get(email="olena@example.org")
    assert user.emailaddress_set.get().verified


# --- Query counts ---------------------------------------------------------------


def _queries(client, path: str) -> int:
    responses = []
    count = count_queries(lambda: responses.append(client.get(path)))
    assert responses[0].status_code == 200
    return count


def _grow(user, count: int) -> None:
    exercises = ExerciseFactory.create_batch(count, kind="translate", level="A2")
    for index, exercise in enumerate(exercises):
        attempt = Attempt.objects.create(
            user=user,
            exercise=exercise,
            answer="x",
            verdict="incorrect",
            client_attempt_id=f"00000000-0000-4000-8000-{index + count:012d}",
            answered_at="2026-11-30T10:00:00Z",
            duration_ms=1000,
        )
        Dispute.objects.create(attempt=attempt, user=user)


# The page's own reads (see docs/performance.md), plus the log-in's
# (auth_queries: the session and the user, unless they come from Redis).
QUERIES = {"/": 0, "/profile/": 1, "/placement/": 2, "/practice/": 5, "/progress/": 5}


@pytest.mark.parametrize("path", ["/", *PRIVATE_PAGES])
def test_pages_render_with_a_constant_number_of_queries(
    client, newcomer, path, settings
):
    LatvianProfileFactory()
    signed_in(client, newcomer)
    _grow(newcomer, 2)
    _queries(client, path)  # warms the caches of the user and the session
    small = _queries(client, path)
    _grow(newcomer, 30)
    assert _queries(client, path) == small
    assert small == QUERIES[path] + auth_queries()

"""The host's half of the journeys in a real browser at 360×740: a club and a
session made in the browser, attendance, the check-in code; the dispute
queue; the staff report; and the 403 page (see conftest.py for the checks)."""

from datetime import timedelta

from django.utils import timezone

from clubs.models import Club, CoHostInvitation, Registration, Session
from clubs.services.registrations import registration_create
from exercises.models import Attempt, Dispute
from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.exercises.factories import ExerciseFactory, LatvianProfileFactory
from tests.factories import StaffFactory, UserFactory, VolunteerFactory
from tests.web.test_browser import log_in, path_of
from tests.web.test_club_browser import off_the_loop


def submit(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("networkidle")


def test_volunteer_hosts_a_session_and_marks_attendance(visit, transactional_db):
    LatvianProfileFactory()
    exercise = ExerciseFactory(kind="translate", prompt="Pasaki: labdien")
    volunteer = VolunteerFactory(email="janis@example.org", display_name="Jānis")
    v = visit()
    page = v.page
    log_in(v, "janis@example.org")
    v.goto("/host/")
    v.check_page("host-home-empty")

    # A club with its weekly schedule.
    page.get_by_role("link", name="New club").click()
    page.wait_for_load_state("networkidle")
    v.check_page("host-club-new")
    page.get_by_label("Name").fill("Vakara saruna")
    page.get_by_label("Lowest level").select_option("A1")
    page.get_by_label("Highest level").select_option("B1")
    page.get_by_label("Address").fill("Brīvības iela 49, Rīga")
    page.get_by_label("Weekday").select_option("3")
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("Places", exact=True).fill("8")
    submit(page, "Create the club")
    club = Club.objects.get(name="Vakara saruna")
    assert list(club.hosts.all()) == [volunteer]
    assert path_of(page.url) == f"/host/clubs/{club.pk}/edit/"
    assert "The club is created" in page.locator(".messages").inner_text()
    v.check_page("host-club-edit")

    # A one-off session with one place and the exercise pack.
    page.get_by_role("link", name="Add a one-off session").click()
    page.wait_for_load_state("networkidle")
    day = (timezone.now() + timedelta(days=9)).date()
    page.get_by_label("Starts").fill(f"{day}T10:00")
    page.get_by_label("Topic").fill("Pie ārsta")
    page.get_by_label("Places").fill("1")
    page.get_by_label("Exercise pack").select_option(str(exercise.pk))
    v.check_page("host-session-new")
    submit(page, "Add the session")
    session = Session.objects.get(topic="Pie ārsta")
    local = timezone.localtime(session.starts_at, volunteer.zone)
    assert (local.date(), local.hour) == (day, 10)
    assert list(session.exercises.all()) == [exercise]
    assert path_of(page.url) == f"/host/sessions/{session.pk}/"

    # Two newcomers sign up (through the service) for the one place.
    olena = UserFactory(display_name="Olena", level="A2")
    taras = UserFactory(display_name="Taras", level="B1")
    first = off_the_loop(registration_create, session_id=session.pk, user=olena)
    second = off_the_loop(registration_create, session_id=session.pk, user=taras)
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    v.goto(f"/host/sessions/{session.pk}/")
    assert (
        "Attendance can be marked from the start" in page.locator("main").inner_text()
    )
    v.check_page("host-session-before")

    # The session begins: attendance is marked in the page.
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=80)
    )
    v.goto(f"/host/sessions/{session.pk}/")
    code = page.locator("#session-code")
    assert code.inner_text() == session.check_in_code
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#session-code')).fontSize)"
    )
    assert size >= 40  # readable across a room
    olena_row = page.locator(f"li[data-user='{olena.pk}']")
    taras_row = page.locator(f"li[data-user='{taras.pk}']")
    assert olena_row.locator("[data-status]").inner_text() == "Confirmed"
    assert "Waitlisted 1" in taras_row.inner_text()
    v.check_page("host-session")
    olena_row.get_by_role("button", name="Attended").click()
    page.wait_for_load_state("networkidle")
    assert "Olena: Attended." in page.locator(".messages").inner_text()
    assert olena_row.locator("[data-status]").inner_text() == "Attended"
    taras_row.get_by_role("button", name="No-show").click()
    page.wait_for_load_state("networkidle")
    assert taras_row.locator("[data-status]").inner_text() == "No-show"
    statuses = dict(
        Registration.objects.filter(session=session).values_list("user_id", "status")
    )
    assert statuses == {olena.pk: "attended", taras.pk: "no_show"}
    v.check_page("host-session-marked")

    page.get_by_role("link", name="Show full screen").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#session-code").inner_text() == session.check_in_code
    v.check_page("host-session-code")

    v.goto(f"/host/sessions/{session.pk}/edit/")
    v.check_page("host-session-edit")
    v.goto("/host/")
    assert "Vakara saruna" in page.locator("#host-clubs").inner_text()
    v.check_page("host-home")


def test_host_cancels_a_session_with_a_reason(visit, transactional_db, mailoutbox):
    volunteer = VolunteerFactory(email="janis@example.org")
    session = SessionFactory(club=ClubFactory(hosts=[volunteer]), topic="Tirgū")
    RegistrationFactory(session=session)
    v = visit()
    page = v.page
    log_in(v, "janis@example.org")
    v.goto(f"/host/sessions/{session.pk}/edit/")
    # No reason: the page says so and nothing changes.
    submit(page, "Cancel the session")
    assert "This field is required." in page.locator("main").inner_text()
    assert Session.objects.get(pk=session.pk).status == "scheduled"
    v.check_page("host-session-cancel-error")
    page.get_by_label("Reason").fill("Vadītājs ir slims.")
    submit(page, "Cancel the session")
    assert Session.objects.get(pk=session.pk).status == "cancelled"
    assert "Vadītājs ir slims." in page.locator("#cancelled").inner_text()
    assert len(mailoutbox) == 1
    v.check_page("host-session-cancelled")


def _dispute(user, exercise, answer: str, n: int) -> Dispute:
    attempt = Attempt.objects.create(
        user=user,
        exercise=exercise,
        answer=answer,
        verdict="almost",
        client_attempt_id=f"00000000-0000-4000-8000-{n:012d}",
        answered_at=timezone.now(),
    )
    return Dispute.objects.create(attempt=attempt, user=user, comment="Mans telefons")


def test_volunteer_judges_disputes_and_the_learner_sees_the_outcome(
    visit, transactional_db
):
    LatvianProfileFactory()
    learner = UserFactory(email="olena@example.org", display_name="Olena")
    VolunteerFactory(email="janis@example.org")
    rejected = _dispute(
        learner, ExerciseFactory(kind="translate"), "Es gribu macities", 1
    )
    accepted = _dispute(
        learner, ExerciseFactory(kind="order"), ["Rīgā", "dzīvoju", "es"], 2
    )
    judge = visit()
    page = judge.page
    log_in(judge, "janis@example.org")
    judge.goto("/disputes/")
    first = page.locator(f"#dispute-{rejected.pk}")
    assert "Es gribu macities" in first.locator(".learner").inner_text()
    assert "Es gribu mācīties" in first.locator(".accepted").inner_text()
    judge.check_page("disputes")

    # Rejecting without a reason is refused; with one it is done.
    first.get_by_role("button", name="Reject").click()
    page.wait_for_load_state("networkidle")
    assert (
        "Say why the answer is not accepted." in page.locator(".messages").inner_text()
    )
    assert Dispute.objects.get(pk=rejected.pk).status == "pending"
    first = page.locator(f"#dispute-{rejected.pk}")
    first.get_by_label("Reason for the learner").fill("Garumzīmes ir obligātas.")
    first.get_by_role("button", name="Reject").click()
    page.wait_for_load_state("networkidle")
    assert Dispute.objects.get(pk=rejected.pk).status == "rejected"
    page.locator(f"#dispute-{accepted.pk}").get_by_role("button", name="Accept").click()
    page.wait_for_load_state("networkidle")
    assert Dispute.objects.get(pk=accepted.pk).status == "accepted"
    assert Attempt.objects.get(pk=accepted.attempt_id).verdict == "correct"
    assert "No disputes are waiting." in page.locator("main").inner_text()
    judge.check_page("disputes-empty")

    v = visit()
    log_in(v, "olena@example.org")
    v.goto("/progress/")
    outcomes = v.page.locator("#disputes").inner_text()
    assert "Rejected: Garumzīmes ir obligātas." in outcomes
    assert "Accepted" in outcomes
    v.check_page("progress-dispute-outcomes")


def test_invited_co_host_accepts_in_the_page(visit, transactional_db):
    inviter = VolunteerFactory(display_name="Jānis")
    club = ClubFactory(hosts=[inviter], name="Rīta kafija")
    invitee = VolunteerFactory(email="anna@example.org")
    CoHostInvitation.objects.create(club=club, invitee=invitee, invited_by=inviter)
    v = visit()
    log_in(v, "anna@example.org")
    v.goto("/host/")
    v.check_page("host-invitation")
    v.page.get_by_role("button", name="Accept – Rīta kafija").click()
    v.page.wait_for_load_state("networkidle")
    assert invitee in club.hosts.all()
    assert "Rīta kafija" in v.page.locator("#host-clubs").inner_text()


def test_host_removes_a_co_host_in_the_page(visit, transactional_db):
    host = VolunteerFactory(email="janis@example.org", display_name="Jānis")
    anna = VolunteerFactory(display_name="Anna")
    club = ClubFactory(hosts=[host, anna], name="Rīta kafija")
    v = visit()
    log_in(v, "janis@example.org")
    v.goto(f"/host/clubs/{club.pk}/edit/")
    hosts = v.page.locator("#club-hosts")
    assert hosts.get_by_role("link", name="Remove – Jānis").count() == 0
    v.check_page("host-club-cohosts")
    hosts.get_by_role("link", name="Remove – Anna").click()
    v.page.wait_for_load_state("networkidle")
    assert v.page.get_by_role("heading", level=1).inner_text() == (
        "Remove Anna from the hosts of Rīta kafija?"
    )
    assert len(club.hosts.all()) == 2  # asked, not done
    v.check_page("host-club-cohost-question")
    v.page.get_by_role("button", name="Remove").click()
    v.page.wait_for_load_state("networkidle")
    assert list(club.hosts.all()) == [host]
    assert "Anna no longer hosts" in v.page.locator(".messages").inner_text()
    assert "Anna" not in v.page.locator("#club-hosts").inner_text()
    v.check_page("host-club-cohost-removed")


def test_staff_sees_the_participation_report(visit, transactional_db):
    StaffFactory(email="ilze@example.org")
    now = timezone.now()
    session = SessionFactory(
        club=ClubFactory(name="Runātāji"),
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(minutes=90),
    )
    for _ in range(6):
        RegistrationFactory(session=session, status="attended")
    v = visit()
    page = v.page
    log_in(v, "ilze@example.org")
    page.get_by_role("navigation", name="Main").get_by_text("Menu").click()
    page.get_by_role("link", name="Reports", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert path_of(page.url) == "/reports/participation/"
    assert "Runātāji" in page.locator("#report").inner_text()
    v.check_page("report")
    href = page.locator("#csv-download").get_attribute("href")
    response = page.request.get(v.base_url + href)
    assert response.status == 200
    assert "Runātāji" in response.text()
    page.get_by_label("From", exact=True).fill(str(timezone.localdate()))
    submit(page, "Show")
    assert "No sessions in this period." in page.locator("main").inner_text()


def test_newcomer_gets_the_403_page(visit, transactional_db):
    UserFactory(email="olena@example.org")
    v = visit()
    log_in(v, "olena@example.org")
    for path, name in [
        ("/host/", "403-host"),
        ("/disputes/", "403-disputes"),
        ("/reports/participation/", "403-report"),
    ]:
        response = v.goto(path)
        assert response.status == 403
        assert v.page.locator("h1").inner_text() == "You may not open this page"
        v.check_page(name)


def test_the_host_pages_in_latvian(visit, transactional_db):
    volunteer = VolunteerFactory(email="janis@example.org", interface_language="lv")
    now = timezone.now()
    session = SessionFactory(
        club=ClubFactory(hosts=[volunteer], name="Vakara saruna"),
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(minutes=85),
    )
    RegistrationFactory(session=session, user=UserFactory(display_name="Olena"))
    v = visit(locale="lv-LV")
    log_in(v, "janis@example.org")
    v.goto(f"/host/sessions/{session.pk}/")
    main = v.page.locator("main").inner_text()
    assert "Reģistrēšanās kods" in main and "Dalībnieki" in main
    v.check_page("lv-host-session")
    v.goto(f"/host/clubs/{session.club_id}/edit/")
    v.check_page("lv-host-club-edit")

"""The newcomer's journeys in a real browser at 360×740 (see conftest.py)."""

import re

import pytest

from backend.accounts.models import User
from exercises.models import Attempt, Dispute
from tests.factories import PASSWORD, UserFactory
from tests.web.conftest import link_from

NEW_PASSWORD = "a-New-passw0rd-for-Riga"


def log_in(v, email: str, password: str = PASSWORD) -> None:
    v.goto("/accounts/login/")
    v.page.fill("input[name=login]", email)
    v.page.fill("input[name=password]", password)
    v.page.click("form.form button[type=submit]")
    v.page.wait_for_load_state("networkidle")


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def answer_choice(page, text: str) -> None:
    page.get_by_role("button", name=text, exact=True).click()
    page.get_by_role("button", name="Check").click()


def answer_rightly(page) -> None:
    """Answer the player's current item rightly, whatever its kind."""
    kind = page.locator("#player[data-kind]").get_attribute("data-kind")
    if kind == "choice":
        page.get_by_role("button", name="maizi", exact=True).click()
    elif kind == "order":
        for word in ("Es", "dzīvoju", "Rīgā"):
            page.get_by_role("button", name=word, exact=True).click()
    elif kind == "match":
        for left, right in (("maize", "bread"), ("piens", "milk"), ("sāls", "salt")):
            page.get_by_role("button", name=left).click()
            page.get_by_role("button", name=right).click()
    page.get_by_role("button", name="Check").click()


def test_newcomer_signs_up_places_practises_disputes_and_sees_progress(
    visit, course, settings, mailoutbox
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    v = visit()
    page = v.page

    v.goto("/")
    v.check_page("landing")
    page.get_by_role("link", name="Sign up, it is free").click()
    page.wait_for_load_state("networkidle")
    v.check_page("signup")
    page.fill("input[name=email]", "olena@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state("networkidle")
    v.check_page("verification-sent")

    # The e-mailed link opens allauth's page; confirming it logs the person in.
    v.goto(path_of(link_from(mailoutbox[-1].body, "/accounts/confirm-email/")))
    v.check_page("confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")
    assert User.objects.get(email="olena@example.org").emailaddress_set.get().verified

    # Log out and in again through the pages.
    v.goto("/accounts/logout/")
    v.check_page("logout")
    page.get_by_role("button", name="Sign Out").click()
    page.wait_for_load_state("networkidle")
    v.goto("/accounts/login/")
    v.check_page("login")
    log_in(v, "olena@example.org")
    assert path_of(page.url) == "/practice/"

    # Placement: one item per screen with progress, then the result.
    v.goto("/placement/")
    v.check_page("placement-start")
    page.get_by_role("button", name="Start the test").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Question 1 of at most 15").is_visible()
    v.check_page("placement-item")
    for number in (2, 3, 4):
        answer_rightly(page)
        page.wait_for_selector(f"text=Question {number} of at most 15")
        if number == 3:
            v.check_page("placement-item-2")
    answer_rightly(page)
    page.wait_for_selector("text=Your level: A1")
    v.check_page("placement-result")
    assert User.objects.get(email="olena@example.org").level == "A1"

    # Practice: a translation without its diacritics is almost right, and
    # the letters that need marks are highlighted.
    page.get_by_role("link", name="Start practising").click()
    page.wait_for_selector(".item-heading")
    v.check_page("practice-translate")
    page.get_by_label("Your translation").fill("Es gribu macities")
    page.get_by_role("button", name="Check").click()
    feedback = page.locator(".feedback")
    feedback.wait_for()
    assert feedback.get_attribute("data-verdict") == "almost"
    assert page.locator(".feedback .diacritics mark").all_inner_texts() == ["ā", "ī"]
    assert "Mind the diacritics" in feedback.inner_text()
    v.check_page("practice-feedback")

    # "My answer should be accepted" opens a dispute.
    page.get_by_role("button", name="My answer should be accepted").click()
    page.get_by_label("Why? (optional)").fill("Mans telefons neraksta garumzīmes.")
    page.get_by_role("button", name="Send to a reviewer").click()
    page.wait_for_selector("text=Sent. A reviewer will look at your answer")
    v.check_page("practice-dispute")
    dispute = Dispute.objects.get()
    assert dispute.comment == "Mans telefons neraksta garumzīmes."
    assert dispute.attempt.answer == "Es gribu macities"

    # Progress shows the attempt and the dispute.
    v.goto("/progress/")
    v.check_page("progress")
    assert page.locator("#total-attempts").inner_text() == "1"
    assert "Es gribu macities" in page.locator("#disputes").inner_text()
    assert "Pending" in page.locator("#disputes").inner_text()

    v.goto("/profile/")
    v.check_page("profile")
    v.goto("/accounts/email/")
    v.check_page("email")
    v.goto("/accounts/password/change/")
    v.check_page("password-change")
    v.goto("/privacy/")
    v.check_page("privacy")

    # Leaving: the profile's link, the password, and the account is gone.
    v.goto("/profile/")
    page.get_by_role("link", name="Delete my account").click()
    page.wait_for_load_state("networkidle")
    v.check_page("account-delete")
    page.get_by_label("Remove their text").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert path_of(page.url) == "/"
    assert "Your account has been deleted." in page.locator("main").inner_text()
    assert User.objects.get(pk=dispute.attempt.user_id).deleted_at is not None


def test_the_player_plays_every_kind_by_keyboard(visit, course):
    UserFactory(email="kira@example.org", level="A1")
    for key in ("choice1", "choice2"):
        course[key].delete()
    v = visit()
    log_in(v, "kira@example.org")
    page = v.page
    v.goto("/practice/")
    page.wait_for_selector(".item-heading")

    # translate, typed with the letter row driven by the keyboard
    page.get_by_label("Your translation").fill("Es gribu m")
    page.keyboard.press("Shift+Tab")  # nothing between: back to the field
    page.get_by_label("Your translation").focus()
    page.get_by_role("button", name="Type the letter ā").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Your translation").press("End")
    page.get_by_label("Your translation").type("cīties")
    page.get_by_label("Your translation").press("Enter")
    page.locator(".feedback").wait_for()
    assert page.locator(".feedback").get_attribute("data-verdict") == "correct"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Next

    # cloze: two blanks, a typo in one word is marked
    page.wait_for_selector("text=Exercise 2 of 4")
    page.get_by_label("Blank 1").fill("perku")
    page.get_by_label("Blank 2").fill("sāli")
    page.get_by_label("Blank 2").press("Enter")
    page.locator(".feedback").wait_for()
    v.check_page("practice-cloze-feedback")
    page.get_by_role("button", name="Next").press("Enter")

    # order: tap the words in order
    page.wait_for_selector("text=Exercise 3 of 4")
    v.check_page("practice-order")
    for word in ("dzīvoju", "Es", "Rīgā"):
        page.get_by_role("button", name=word, exact=True).press("Enter")
    page.get_by_role("button", name="Check").press("Enter")
    page.locator(".feedback").wait_for()
    assert page.locator(".feedback").get_attribute("data-verdict") == "incorrect"
    assert "Es dzīvoju Rīgā" in page.locator(".feedback .order").inner_text()
    page.get_by_role("button", name="Next").press("Enter")

    # match: tap pairs
    page.wait_for_selector("text=Exercise 4 of 4")
    v.check_page("practice-match")
    for left, right in (("maize", "bread"), ("piens", "milk"), ("sāls", "salt")):
        page.get_by_role("button", name=left).press("Enter")
        page.get_by_role("button", name=right).press("Enter")
    page.get_by_role("button", name="Check").press("Enter")
    page.locator(".feedback").wait_for()
    assert page.locator(".feedback").get_attribute("data-verdict") == "correct"
    page.get_by_role("button", name="Next").press("Enter")
    page.wait_for_selector(".done")
    verdicts = list(
        Attempt.objects.order_by("answered_at").values_list("verdict", flat=True)
    )
    assert verdicts == ["correct", "almost", "incorrect", "correct"]
    assert v.foreign == [] and v.csp_errors == []


def test_the_player_plays_a_reading_item_with_its_recording(visit, course):
    user = UserFactory(email="ilze@example.org", level="A1")
    for exercise in course.values():
        exercise.delete()
    from tests.exercises.factories import ExerciseFactory

    reading = ExerciseFactory(
        key="r1-reading",
        kind="reading",
        prompt="",
        audio="exercises/audio/lv/r1-reading.mp3",
        transcript="No trešā līdz piektajam martam lifts nestrādās.",
    )
    v = visit()
    log_in(v, "ilze@example.org")
    page = v.page
    v.goto("/practice/")
    page.wait_for_selector(".reading")
    assert page.locator("#player").get_attribute("data-kind") == "reading"
    audio = page.locator("audio.recording")
    assert audio.get_attribute("src").endswith("/exercises/audio/lv/r1-reading.mp3")
    assert page.locator(".reading-title").inner_text() == "Paziņojums iedzīvotājiem"
    text = page.locator(".reading-text").inner_text()
    assert "Cienījamie iedzīvotāji!\nNo 3. līdz 5. martam" in text
    # What the recording says is shown only after answering.
    assert page.get_by_text("What the recording says").count() == 0
    v.check_page("practice-reading")

    # Question 1 right and question 3 wrong, by keyboard; question 2 typed.
    page.get_by_label("no 3. līdz 5. martam").press("Space")
    page.get_by_label("2. Kam jāuzdod jautājumi?").fill("pārvaldniekam")
    page.get_by_label("zvans").press("Space")
    page.get_by_role("button", name="Check").press("Enter")
    feedback = page.locator(".feedback")
    feedback.wait_for()
    assert feedback.get_attribute("data-verdict") == "incorrect"
    results = page.locator(".reading-results li")
    assert [results.nth(i).get_attribute("data-result") for i in range(3)] == [
        "right",
        "right",
        "wrong",
    ]
    assert results.nth(0).inner_text().startswith("Question 1: Right!")
    third = results.nth(2).inner_text()
    assert third.startswith("Question 3: Not quite")
    assert "Question 3: " in page.locator(".reading-results .fb-message").inner_text()
    assert "The answer: lifts" in third
    assert "No trešā līdz piektajam martam" in feedback.inner_text()
    v.check_page("practice-reading-feedback")

    attempt = Attempt.objects.get(user=user)
    assert attempt.exercise == reading
    assert attempt.verdict == "incorrect"
    assert len(attempt.answer) == 3 and attempt.answer[1] == "pārvaldniekam"


def test_answers_given_offline_are_stored_once_when_back_online(visit, course):
    user = UserFactory(email="taras@example.org", level="A1")
    for key in ("translate", "cloze", "order", "match"):
        course[key].delete()
    from tests.exercises.factories import ExerciseFactory

    ExerciseFactory(key="b3-choice", kind="choice", topic=course["choice1"].topic)
    v = visit()
    log_in(v, "taras@example.org")
    page = v.page
    v.goto("/practice/")
    page.wait_for_selector("text=Exercise 1 of 3")

    v.context.set_offline(True)
    for number in (1, 2, 3):
        page.wait_for_selector(f"text=Exercise {number} of 3")
        answer_choice(page, "maizi")
        page.wait_for_selector("text=You are offline")
        page.get_by_role("button", name="Next").click()
    page.wait_for_selector("#outbox[data-count='3']")
    assert "3 answers are waiting to be sent." in page.locator("#outbox").inner_text()
    v.shot("practice-offline")
    assert Attempt.objects.count() == 0

    v.context.set_offline(False)
    page.wait_for_selector("#outbox[data-count='0']", state="attached")
    assert page.locator("#outbox").is_hidden()
    attempts = Attempt.objects.filter(user=user)
    assert attempts.count() == 3
    assert len(set(attempts.values_list("client_attempt_id", flat=True))) == 3
    assert set(attempts.values_list("verdict", flat=True)) == {"correct"}

    # A reload sends nothing again.
    v.goto("/practice/")
    assert page.locator("#outbox").is_hidden()
    assert Attempt.objects.count() == 3


def test_password_reset_by_the_e_mailed_link(visit, mailoutbox, transactional_db):
    UserFactory(email="jana@example.org")
    v = visit()
    page = v.page
    v.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("Forgot")).click()
    page.wait_for_load_state("networkidle")
    v.check_page("password-reset")
    page.fill("input[name=email]", "jana@example.org")
    page.get_by_role("button", name="Reset My Password").click()
    page.wait_for_load_state("networkidle")
    v.check_page("password-reset-done")

    v.goto(path_of(link_from(mailoutbox[-1].body, "/accounts/password/reset/key/")))
    v.check_page("password-reset-from-key")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    page.wait_for_load_state("networkidle")
    log_in(v, "jana@example.org", NEW_PASSWORD)
    assert path_of(page.url) == "/practice/"


RUSSIAN_HEADINGS = {
    "/": "Латышский язык",
    "/accounts/login/": "Войти",
    "/accounts/signup/": "Зарегистрируйтесь",
    "/profile/": "Ваш профиль",
    "/placement/": "Тест уровня",
    "/practice/": "Практика",
    "/progress/": "Ваш прогресс",
    "/profile/delete/": "Удалить мою учётную запись",
}


def test_switching_to_russian_turns_every_page_russian(visit, course):
    UserFactory(email="ivan@example.org")
    v = visit()
    page = v.page
    v.goto("/")
    page.get_by_role("button", name="Русский").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "ru"
    for path in ("/", "/accounts/login/", "/accounts/signup/"):
        v.goto(path)
        assert page.locator("html").get_attribute("lang") == "ru"
        assert RUSSIAN_HEADINGS[path] in page.locator("h1").inner_text(), path
    v.goto("/accounts/login/")
    page.fill("input[name=login]", "ivan@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    for path in (
        "/profile/",
        "/profile/delete/",
        "/placement/",
        "/practice/",
        "/progress/",
    ):
        v.goto(path)
        assert page.locator("html").get_attribute("lang") == "ru"
        assert RUSSIAN_HEADINGS[path] in page.locator("h1").inner_text(), path
        v.check_page("ru" + path.rstrip("/").replace("/", "-"))
    assert User.objects.get(email="ivan@example.org").interface_language == "ru"


def test_ukrainian_browser_gets_ukrainian_landing(visit, transactional_db):
    v = visit(locale="uk-UA")
    v.goto("/")
    assert v.page.locator("html").get_attribute("lang") == "uk"
    assert re.search("[іїєґ]", v.page.locator("h1").inner_text())
    v.check_page("uk-landing")


@pytest.mark.parametrize("path", ["/practice/", "/progress/", "/profile/"])
def test_pages_that_need_a_login_redirect_to_it(visit, path, transactional_db):
    v = visit()
    v.goto(path)
    assert path_of(v.page.url) == f"/accounts/login/?next={path}"


def test_the_service_worker_serves_the_practice_page_offline(visit, course):
    UserFactory(email="maria@example.org", level="A1")
    v = visit(service_workers="allow")
    log_in(v, "maria@example.org")
    page = v.page
    v.goto("/practice/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # Controlled by the worker now: this visit stores the page for offline use.
    v.goto("/practice/")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k)"
        ".then(c => c.match('/practice/'))))).then(hits => hits.some(Boolean))"
    )
    v.context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == "Practice"
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.top')).backgroundColor"
        )
        == "rgb(158, 48, 57)"
    )
    v.context.set_offline(False)


def test_admin_and_swagger_run_under_the_csp(visit, transactional_db):
    from tests.factories import StaffFactory

    StaffFactory(email="ilze@example.org")
    v = visit()
    page = v.page
    v.goto("/admin/login/")
    page.fill("input[name=username]", "ilze@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("networkidle")
    v.goto("/admin/")
    assert "Runa administration" in page.locator("#site-name").inner_text()
    v.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    v.shot("swagger")
    assert v.csp_errors == []
    assert v.foreign == []

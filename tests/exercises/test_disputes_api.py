import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exercises.models import Attempt, Dispute, Exercise, ReviewCard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrong_attempt(api_client_for, newcomer, exercise_of, answer):
    """newcomer's incorrect attempt at a translate exercise."""

    def make(kind="translate", value="Es vēlos mācīties"):
        exercise = exercise_of(kind)
        response = answer(api_client_for(newcomer), exercise, value)
        assert response.status_code == 201
        assert response.json()["verdict"] != "correct"
        return Attempt.objects.get(pk=response.json()["id"])

    return make


def _dispute(client, attempt, comment="Vēlos is also right."):
    return client.post(f"/api/v1/attempts/{attempt.pk}/dispute/", {"comment": comment})


def test_owner_disputes_once(api_client_for, newcomer, wrong_attempt):
    attempt = wrong_attempt()
    client = api_client_for(newcomer)
    response = _dispute(client, attempt)
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    again = _dispute(client, attempt)
    assert again.status_code == 409
    assert again.json()["code"] == "already_disputed"
    assert Dispute.objects.count() == 1
    mine = client.get(f"/api/v1/attempts/{attempt.pk}/").json()
    assert mine["dispute"]["status"] == "pending"


def test_cannot_dispute_someone_elses_attempt(api_client_for, stranger, wrong_attempt):
    attempt = wrong_attempt()
    response = _dispute(api_client_for(stranger), attempt)
    assert response.status_code == 404
    assert not Dispute.objects.exists()


def test_cannot_dispute_a_correct_attempt(
    api_client_for, newcomer, exercise_of, answer
):
    client = api_client_for(newcomer)
    body = answer(client, exercise_of("translate"), "Gribu mācīties").json()
    response = client.post(f"/api/v1/attempts/{body['id']}/dispute/")
    assert response.status_code == 409
    assert response.json()["code"] == "attempt_already_correct"


def test_dispute_comment_is_bounded(api_client_for, newcomer, wrong_attempt):
    attempt = wrong_attempt()
    response = _dispute(api_client_for(newcomer), attempt, comment="x" * 1001)
    assert response.status_code == 400
    assert "comment" in response.json()["fields"]


@pytest.mark.parametrize("who", ["newcomer", "stranger", "pending_volunteer"])
def test_only_staff_and_approved_volunteers_see_and_judge_disputes(
    request, api_client_for, newcomer, wrong_attempt, who
):
    attempt = wrong_attempt()
    dispute_id = _dispute(api_client_for(newcomer), attempt).json()["id"]
    client = api_client_for(request.getfixturevalue(who))
    assert client.get("/api/v1/disputes/").status_code == 403
    for verb in ("accept", "reject"):
        response = client.post(
            f"/api/v1/disputes/{dispute_id}/{verb}/", {"reason": "No."}
        )
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert Dispute.objects.get().status == "pending"


def test_anonymous_cannot_see_disputes(api_client):
    assert api_client.get("/api/v1/disputes/").status_code == 401


@pytest.mark.parametrize("judge", ["staff", "volunteer"])
def test_accepting_adds_the_answer_and_turns_the_attempt_correct(
    request, api_client_for, newcomer, wrong_attempt, answer, judge
):
    attempt = wrong_attempt()
    card_before = ReviewCard.objects.get(user=newcomer)
    dispute_id = _dispute(api_client_for(newcomer), attempt).json()["id"]
    judge_client = api_client_for(request.getfixturevalue(judge))

    queue = judge_client.get("/api/v1/disputes/").json()["results"]
    assert [item["id"] for item in queue] == [dispute_id]
    assert queue[0]["attempt"]["answer"] == "Es vēlos mācīties"
    assert queue[0]["exercise"]["payload"]["answers"][0] == "Es gribu mācīties"
    assert queue[0]["user"] == {"id": newcomer.pk, "name": "Olena"}
    assert "email" not in str(queue[0])

    response = judge_client.post(f"/api/v1/disputes/{dispute_id}/accept/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["answer_added"]) == ("accepted", True)
    assert body["decided_by"]["id"] == request.getfixturevalue(judge).pk

    attempt.refresh_from_db()
    assert attempt.verdict == "correct"
    mine = api_client_for(newcomer).get(f"/api/v1/attempts/{attempt.pk}/").json()
    assert mine["verdict"] == "correct"
    assert [item["code"] for item in mine["feedback"]] == ["accepted_on_review"]
    card_after = ReviewCard.objects.get(user=newcomer)
    assert card_after.due_at > card_before.due_at  # Good instead of Again

    # Effective at once, for everyone.
    exercise = Exercise.objects.get(pk=attempt.exercise_id)
    assert "Es vēlos mācīties" in exercise.payload["answers"]
    other = answer(api_client_for(UserFactory()), exercise, "es vēlos mācīties!")
    assert other.json()["verdict"] == "correct"
    assert judge_client.get("/api/v1/disputes/").json()["results"] == []
    decided = judge_client.get("/api/v1/disputes/?status=accepted").json()
    assert [item["id"] for item in decided["results"]] == [dispute_id]


def test_accepting_a_cloze_dispute_adds_only_the_wrong_blank(
    api_client_for, newcomer, staff, wrong_attempt
):
    attempt = wrong_attempt(kind="cloze", value=["pērku", "sāli un pipari"])
    dispute_id = _dispute(api_client_for(newcomer), attempt).json()["id"]
    api_client_for(staff).post(f"/api/v1/disputes/{dispute_id}/accept/")
    exercise = Exercise.objects.get(pk=attempt.exercise_id)
    assert exercise.payload["blanks"] == [["pērku"], ["sāli", "sāli un pipari"]]


def test_accepting_a_choice_dispute_only_turns_the_attempt_correct(
    api_client_for, newcomer, staff, exercise_of, answer
):
    exercise = exercise_of("choice")
    client = api_client_for(newcomer)
    task = client.get(f"/api/v1/exercises/{exercise.pk}/").json()["task"]
    wrong = next(o["id"] for o in task["options"] if o["text"] == "maize")
    attempt_id = answer(client, exercise, wrong).json()["id"]
    dispute_id = client.post(f"/api/v1/attempts/{attempt_id}/dispute/").json()["id"]
    body = api_client_for(staff).post(f"/api/v1/disputes/{dispute_id}/accept/").json()
    assert (body["status"], body["answer_added"]) == ("accepted", False)
    assert Attempt.objects.get(pk=attempt_id).verdict == "correct"
    exercise.refresh_from_db()
    assert exercise.payload["answer"] == "maizi"


def test_accepting_an_order_dispute_with_foreign_words_adds_nothing(
    api_client_for, newcomer, staff, wrong_attempt
):
    attempt = wrong_attempt(kind="order", value=["Es", "strādāju", "Rīgā"])
    dispute_id = _dispute(api_client_for(newcomer), attempt).json()["id"]
    body = api_client_for(staff).post(f"/api/v1/disputes/{dispute_id}/accept/").json()
    assert body["answer_added"] is False
    exercise = Exercise.objects.get(pk=attempt.exercise_id)
    assert exercise.payload["answers"] == ["Es dzīvoju Rīgā", "Rīgā es dzīvoju"]


def test_rejecting_changes_nothing_but_the_dispute(
    api_client_for, newcomer, volunteer, wrong_attempt
):
    attempt = wrong_attempt()
    dispute_id = _dispute(api_client_for(newcomer), attempt).json()["id"]
    client = api_client_for(volunteer)
    response = client.post(
        f"/api/v1/disputes/{dispute_id}/reject/",
        {"reason": "“Vēlos” is right, but the task asks for “gribu”."},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    attempt.refresh_from_db()
    assert attempt.verdict == "incorrect"
    exercise = Exercise.objects.get(pk=attempt.exercise_id)
    assert "Es vēlos mācīties" not in exercise.payload["answers"]
    again = client.post(f"/api/v1/disputes/{dispute_id}/accept/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"


def test_a_volunteer_cannot_judge_their_own_dispute(
    api_client_for, volunteer, exercise_of, answer
):
    client = api_client_for(volunteer)
    attempt_id = answer(client, exercise_of("translate"), "Es vēlos mācīties").json()[
        "id"
    ]
    dispute_id = client.post(f"/api/v1/attempts/{attempt_id}/dispute/").json()["id"]
    response = client.post(f"/api/v1/disputes/{dispute_id}/accept/")
    assert response.status_code == 403
    assert response.json()["code"] == "own_dispute"


@pytest.mark.parametrize("query", ["?status=maybe", "?language=latvian"])
def test_bad_dispute_filters_are_400(api_client_for, staff, query):
    response = api_client_for(staff).get(f"/api/v1/disputes/{query}")
    assert response.status_code == 400


def test_unknown_dispute_is_404(api_client_for, staff):
    response = api_client_for(staff).post("/api/v1/disputes/424242/accept/")
    assert response.status_code == 404


def test_dispute_queue_query_count_is_fixed(api_client_for, staff, exercise_of):
    client = api_client_for(staff)

    def add(count):
        for _ in range(count):
            user = UserFactory()
            attempt = Attempt.objects.create(
                user=user,
                exercise=exercise_of("translate"),
                answer="x",
                verdict="incorrect",
                client_attempt_id=uuid.uuid4(),
                answered_at="2026-01-01T10:00:00Z",
            )
            Dispute.objects.create(attempt=attempt, user=user)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/disputes/?page_size=100")
        return len(queries), len(response.json()["results"])

    add(5)
    measure()  # warms the caches of the user and the session, if any
    small, count = measure()
    assert count == 5
    add(25)
    assert measure() == (small, 30)


@pytest.mark.parametrize(
    "body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 1001}]
)
def test_rejecting_needs_a_reason(
    api_client_for, newcomer, volunteer, wrong_attempt, body
):
    dispute_id = _dispute(api_client_for(newcomer), wrong_attempt()).json()["id"]
    response = api_client_for(volunteer).post(
        f"/api/v1/disputes/{dispute_id}/reject/", body
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "reason" in response.json()["fields"]
    assert Dispute.objects.get().status == "pending"


def test_the_learner_sees_the_outcome_and_the_reason(
    api_client_for, newcomer, stranger, volunteer, wrong_attempt
):
    client = api_client_for(newcomer)
    rejected = wrong_attempt()
    accepted = wrong_attempt(value="Es vēlos ēst")
    rejected_id = _dispute(client, rejected).json()["id"]
    accepted_id = _dispute(client, accepted).json()["id"]
    judge = api_client_for(volunteer)
    reason = "“Vēlos” is right, but the task asks for “gribu”."
    judge.post(f"/api/v1/disputes/{rejected_id}/reject/", {"reason": reason})
    judge.post(f"/api/v1/disputes/{accepted_id}/accept/", {"reason": "Fair."})

    mine = client.get("/api/v1/me/disputes/").json()
    assert mine["count"] == 2
    outcome = {d["id"]: (d["status"], d["decision_reason"]) for d in mine["results"]}
    assert outcome == {
        rejected_id: ("rejected", reason),
        accepted_id: ("accepted", "Fair."),
    }
    assert mine["results"][0]["decided_at"] is not None
    attempt = client.get(f"/api/v1/attempts/{rejected.pk}/").json()
    assert attempt["dispute"] == {
        "id": rejected_id,
        "status": "rejected",
        "decision_reason": reason,
    }
    # Only mine, and only signed in.
    assert api_client_for(stranger).get("/api/v1/me/disputes/").json()["count"] == 0


def test_my_disputes_need_login(api_client):
    assert api_client.get("/api/v1/me/disputes/").status_code == 401

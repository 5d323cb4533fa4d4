import json
import uuid

import pytest

from exercises.models import Attempt, Dispute, Exercise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/exercises/exercise/",
        "/admin/exercises/exercise/?language=lv&level=A1&kind=cloze&topic__id__exact=1",
        "/admin/exercises/topic/",
        "/admin/exercises/languageprofile/",
        "/admin/exercises/dispute/?status__exact=pending",
        "/admin/exercises/attempt/",
        "/admin/exercises/reviewcard/",
        "/admin/exercises/placementtest/",
    ],
)
def test_admin_pages_open(admin_client, exercise_of, url):
    exercise_of("cloze")
    assert admin_client.get(url).status_code == 200


def _form(exercise: Exercise, **changes) -> dict:
    data = {
        "key": exercise.key,
        "language": exercise.language,
        "level": exercise.level,
        "topic": exercise.topic_id,
        "kind": exercise.kind,
        "prompt": exercise.prompt,
        "instructions": json.dumps(exercise.instructions),
        "hint": "",
        "explanation": json.dumps(exercise.explanation),
        "payload": json.dumps(exercise.payload),
        "is_active": "on",
    }
    return data | changes


def test_editor_sees_readable_json_and_saves_valid_answers(admin_client, exercise_of):
    exercise = exercise_of("translate")
    url = f"/admin/exercises/exercise/{exercise.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "mācīties" in page  # not \u0101 escapes
    payload = exercise.payload | {"answers": ["Es gribu mācīties", "Es vēlos mācīties"]}
    response = admin_client.post(url, _form(exercise, payload=json.dumps(payload)))
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.payload["answers"][1] == "Es vēlos mācīties"


@pytest.mark.parametrize(
    ("kind", "payload", "error"),
    [
        ("choice", {"options": ["a", "b"], "answer": "c"}, "one of the options"),
        ("cloze", {"text": "Es ___.", "blanks": []}, "blanks must be a list"),
        ("translate", {"source": {"en": "x"}, "answers": ["x"], "extra": 1}, "unknown"),
        ("match", [1, 2], "must be a mapping"),
        (
            "reading",
            {
                "title": "Paziņojums",
                "text": "Lifts nestrādās.",
                "questions": [
                    {"prompt": "Kas?", "options": ["lifts", "zvans"], "answer": "x"},
                    {"prompt": "Kad?", "answers": ["rīt"]},
                    {"prompt": "Kur?", "answers": ["mājā"]},
                ],
            },
            "answer must be one of its options",
        ),
    ],
)
def test_editor_refuses_an_invalid_payload(
    admin_client, exercise_of, kind, payload, error
):
    exercise = exercise_of(kind)
    before = exercise.payload
    response = admin_client.post(
        f"/admin/exercises/exercise/{exercise.pk}/change/",
        _form(exercise, payload=json.dumps(payload)),
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    exercise.refresh_from_db()
    assert exercise.payload == before


def test_dispute_queue_actions(admin_client, newcomer, exercise_of):
    exercise = exercise_of("translate")
    disputes = []
    for text in ("Es vēlos mācīties", "Es gribu ēst"):
        attempt = Attempt.objects.create(
            user=newcomer,
            exercise=exercise,
            answer=text,
            verdict="incorrect",
            client_attempt_id=uuid.uuid4(),
            answered_at="2026-01-01T10:00:00Z",
        )
        disputes.append(Dispute.objects.create(attempt=attempt, user=newcomer))
    url = "/admin/exercises/dispute/"
    admin_client.post(
        url, {"action": "accept_disputes", "_selected_action": [disputes[0].pk]}
    )
    reject = {"action": "reject_disputes", "_selected_action": [disputes[1].pk]}
    # The reason is asked for first; without one nothing is decided.
    asked = admin_client.post(url, reject)
    assert asked.status_code == 200
    assert "Reason" in asked.content.decode()
    admin_client.post(url, {**reject, "apply": "1", "reason": ""})
    assert Dispute.objects.get(pk=disputes[1].pk).status == "pending"
    admin_client.post(url, {**reject, "apply": "1", "reason": "That is another verb."})
    statuses = dict(Dispute.objects.values_list("pk", "status"))
    assert statuses == {disputes[0].pk: "accepted", disputes[1].pk: "rejected"}
    exercise.refresh_from_db()
    assert "Es vēlos mācīties" in exercise.payload["answers"]
    assert "Es gribu ēst" not in exercise.payload["answers"]
    rejected = Dispute.objects.get(pk=disputes[1].pk)
    assert rejected.decision_reason == "That is another verb."
    page = admin_client.get(f"{url}{disputes[0].pk}/change/").content.decode()
    assert "Es vēlos mācīties" in page

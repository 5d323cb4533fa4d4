"""Disputes: "my answer should be accepted", judged by staff and volunteers.

Accepting a dispute turns the attempt correct (its review card is replayed)
and, for cloze, translate and order exercises, adds the learner's answer to
the accepted answers at once. Choice and match exercises cannot gain answers
this way (an extra option or pairing is a content fix), so accepting one only
turns that attempt correct; ``answer_added`` says which happened.
"""

import copy
import unicodedata

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.api.errors import Conflict, Forbidden, NotFound
from exercises.answer_keys import expand_all, has_syntax
from exercises.content_format import KIND_VALIDATORS, Invalid
from exercises.models import Attempt, Dispute, Exercise, ReviewCard
from exercises.services.scheduling import review_card_replay
from exercises.text import normalise


@transaction.atomic
def dispute_create(*, user, attempt_id: int, comment: str = "") -> Dispute:
    attempt = (
        Attempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
    )
    if attempt is None:
        raise NotFound()
    if attempt.verdict == Attempt.Verdict.CORRECT:
        raise Conflict(
            _("This answer is already correct."), code="attempt_already_correct"
        )
    if Dispute.objects.filter(attempt=attempt).exists():
        raise Conflict(
            _("You have already disputed this attempt."), code="already_disputed"
        )
    try:
        with transaction.atomic():
            return Dispute.objects.create(attempt=attempt, user=user, comment=comment)
    except IntegrityError:
        raise Conflict(
            _("You have already disputed this attempt."), code="already_disputed"
        ) from None


def _add_text(accepted: list[str], text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.strip())
    # Brackets and bars would be read as answer-key syntax, not as the answer.
    if not normalise(text) or has_syntax(text):
        return accepted
    if normalise(text) in {normalise(a) for a in expand_all(accepted)}:
        return accepted
    return [*accepted, text]


def _payload_with_answer(exercise: Exercise, answer: object) -> dict | None:
    """The exercise payload with the answer added, or None if it cannot be."""
    payload = copy.deepcopy(exercise.payload)
    match exercise.kind:
        case Exercise.Kind.CLOZE:
            payload["blanks"] = [
                _add_text(accepted, given)
                for accepted, given in zip(payload["blanks"], answer, strict=True)
            ]
        case Exercise.Kind.TRANSLATE:
            payload["answers"] = _add_text(payload["answers"], answer)
        case Exercise.Kind.ORDER:
            payload["answers"] = _add_text(payload["answers"], " ".join(answer))
        case _:
            return None
    if payload == exercise.payload:
        return None
    try:
        # Never store what the content format would refuse (e.g. other words).
        KIND_VALIDATORS[exercise.kind](payload)
    except Invalid:
        return None
    return payload


@transaction.atomic
def dispute_decide(*, dispute_id: int, judge, accept: bool) -> Dispute:
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("attempt", "user")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise NotFound()
    if dispute.user_id == judge.pk:
        raise Forbidden(_("You cannot judge your own dispute."), code="own_dispute")
    if dispute.status != Dispute.Status.PENDING:
        raise Conflict(
            _("This dispute has already been decided."), code="already_decided"
        )
    dispute.status = Dispute.Status.ACCEPTED if accept else Dispute.Status.REJECTED
    dispute.decided_by = judge
    dispute.decided_at = timezone.now()
    if accept:
        attempt = dispute.attempt
        exercise = Exercise.objects.select_for_update().get(pk=attempt.exercise_id)
        payload = _payload_with_answer(exercise, attempt.answer)
        if payload is not None:
            exercise.payload = payload
            exercise.save(update_fields=["payload", "updated_at"])
            dispute.answer_added = True
        attempt.verdict = Attempt.Verdict.CORRECT
        attempt.feedback = [{"code": "accepted_on_review"}]
        attempt.save(update_fields=["verdict", "feedback"])
        card = (
            ReviewCard.objects.select_for_update()
            .filter(user_id=attempt.user_id, exercise_id=attempt.exercise_id)
            .first()
        )
        if card is not None:
            review_card_replay(review_card=card)
    dispute.save(update_fields=["status", "decided_by", "decided_at", "answer_added"])
    return dispute

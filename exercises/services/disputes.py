"""Disputes: "my answer should be accepted", judged by staff and volunteers.

Accepting a dispute turns the attempt correct (its review card is replayed)
and, for cloze, translate and order exercises, adds the learner's answer to
the accepted answers at once, kept as an ``AcceptedAnswer`` with who accepted
it, so content import and export keep the decision. Choice and match exercises
cannot gain answers this way (an extra option or pairing is a content fix), so
accepting one only turns that attempt correct; ``answer_added`` says which
happened.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.api.errors import Conflict, Forbidden, InvalidInput, NotFound
from exercises.content_format.accepted import answer_text, payload_with_answer
from exercises.models import AcceptedAnswer, Attempt, Dispute, Exercise, ReviewCard
from exercises.services.scheduling import review_card_replay


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


@transaction.atomic
def dispute_decide(
    *, dispute_id: int, judge, accept: bool, reason: str = ""
) -> Dispute:
    """Accept or reject a pending dispute; a rejection must say why.

    The reason is shown to the learner with the outcome (``/me/disputes/``).
    """
    reason = reason.strip()
    if not accept and not reason:
        message = _("Say why the answer is not accepted.")
        raise InvalidInput(message, fields={"reason": [str(message)]})
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
    dispute.decision_reason = reason
    if accept:
        attempt = dispute.attempt
        exercise = Exercise.objects.select_for_update().get(pk=attempt.exercise_id)
        payload = payload_with_answer(exercise.kind, exercise.payload, attempt.answer)
        if payload is not None:
            exercise.payload = payload
            exercise.save(update_fields=["payload", "updated_at"])
            dispute.answer_added = True
            # Kept apart from the payload too: content import replaces
            # payloads and must add this decision back.
            AcceptedAnswer.objects.create(
                exercise=exercise,
                dispute=dispute,
                answer=answer_text(exercise.kind, attempt.answer),
                accepted_by=judge,
                accepted_at=dispute.decided_at,
            )
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
    dispute.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "answer_added",
        ]
    )
    return dispute

"""Input and output serializers of the exercises API (no domain work here)."""

from typing import Any

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.accounts.models import Level
from backend.api.serializers import (
    BoundedDateTimeField,
    LanguageCodeField,
)
from backend.api.timefmt import UtcDateTimeField
from exercises import kinds
from exercises.grading import feedback_render
from exercises.models import Attempt, Dispute, Exercise, PlacementTest, Topic
from exercises.services.attempts import MAX_DURATION_MS
from exercises.services.placement import PLACEMENT_MAX_ITEMS, placement_result


def ui_language() -> str:
    return (translation.get_language() or "en")[:2]


# --- Inputs -----------------------------------------------------------------------


class ExerciseFilterSerializer(serializers.Serializer):
    language = LanguageCodeField(required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    topic = serializers.SlugField(max_length=50, required=False)
    kind = serializers.ChoiceField(choices=Exercise.Kind.choices, required=False)


class AttemptInputSerializer(serializers.Serializer):
    answer = serializers.JSONField(
        help_text=(
            "choice: option id; cloze: list of texts (one per blank); translate: "
            "text; order: list of words; match: list of [left id, right id]; "
            "reading: list with one entry per question (option id or text)."
        )
    )
    client_attempt_id = serializers.UUIDField(
        help_text="Made by the client; the same id again returns the first attempt."
    )
    answered_at = BoundedDateTimeField(
        required=False,
        help_text="When answered offline (ISO 8601). Defaults to now.",
    )
    duration_ms = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_DURATION_MS,
        help_text="Time spent on the exercise, counted as practice time.",
    )


class AttemptFilterSerializer(serializers.Serializer):
    exercise = serializers.IntegerField(min_value=1, required=False)


class DisputeInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=1000, allow_blank=True, required=False)


class DisputeAcceptInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        required=False,
        default="",
        help_text="Optional note to the learner.",
    )


class DisputeRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000,
        help_text="Why the answer is not accepted; the learner sees it.",
    )


class DisputeFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Dispute.Status.choices, default=Dispute.Status.PENDING
    )
    language = LanguageCodeField(required=False)


class ReviewDueFilterSerializer(serializers.Serializer):
    language = LanguageCodeField(required=False)
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class ProgressFilterSerializer(serializers.Serializer):
    language = LanguageCodeField(required=False)


class PlacementStartSerializer(serializers.Serializer):
    language = LanguageCodeField(
        required=False, help_text="Defaults to my target language."
    )


class PlacementAnswerSerializer(serializers.Serializer):
    exercise = serializers.IntegerField(min_value=1, max_value=2**53)
    answer = serializers.JSONField()


# --- Outputs ----------------------------------------------------------------------


class TopicOutputSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = ["slug", "name"]

    def get_name(self, obj: Topic) -> str:
        return kinds.translated(obj.name, ui_language())


class OptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    prompt = serializers.CharField()
    type = serializers.ChoiceField(
        choices=["choice", "text"], help_text="choice: pick an option; text: type"
    )
    options = OptionSerializer(many=True, required=False, help_text="type choice")


class TaskSerializer(serializers.Serializer):
    """The kind's part of an exercise; which fields appear depends on the kind."""

    title = serializers.CharField(required=False, help_text="reading")
    questions = QuestionSerializer(many=True, required=False, help_text="reading")

    options = OptionSerializer(many=True, required=False, help_text="choice")
    text = serializers.CharField(
        required=False,
        help_text="cloze: ___ marks a blank; reading: the text (lines split by \\n)",
    )
    blanks = serializers.IntegerField(required=False, help_text="cloze")
    source = serializers.CharField(
        required=False, help_text="translate: in my interface language"
    )
    words = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="order"
    )
    left = OptionSerializer(many=True, required=False, help_text="match")
    right = OptionSerializer(many=True, required=False, help_text="match")


class ExerciseOutputSerializer(serializers.ModelSerializer):
    topic = TopicOutputSerializer()
    instructions = serializers.SerializerMethodField()
    hint = serializers.SerializerMethodField()
    audio = serializers.SerializerMethodField()
    task = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = [
            "id",
            "key",
            "language",
            "level",
            "topic",
            "kind",
            "prompt",
            "instructions",
            "hint",
            "audio",
            "task",
        ]

    def get_instructions(self, obj: Exercise) -> str:
        return kinds.translated(obj.instructions, ui_language())

    def get_hint(self, obj: Exercise) -> str:
        return kinds.translated(obj.hint, ui_language())

    def get_audio(self, obj: Exercise) -> str | None:
        return obj.audio.url if obj.audio else None

    @extend_schema_field(TaskSerializer)
    def get_task(self, obj: Exercise) -> dict:
        return kinds.task_render(obj, language=ui_language())


class FeedbackSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=(
            "diacritics, meaning_changed, punctuation, typo, word_order, "
            "wrong_answer, wrong_option, wrong_pairs, accepted_on_review"
        )
    )
    message = serializers.CharField()


class DisputeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dispute
        fields = ["id", "status", "decision_reason"]


class AttemptOutputSerializer(serializers.ModelSerializer):
    answer = serializers.JSONField()
    feedback = serializers.SerializerMethodField()
    correct_answer = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    transcript = serializers.SerializerMethodField(
        help_text="What the recording says ('' without audio); only after answering."
    )
    next_review_at = serializers.SerializerMethodField()
    dispute = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = [
            "id",
            "exercise",
            "answer",
            "verdict",
            "feedback",
            "correct_answer",
            "explanation",
            "transcript",
            "next_review_at",
            "answered_at",
            "duration_ms",
            "dispute",
        ]

    @extend_schema_field(FeedbackSerializer(many=True))
    def get_feedback(self, obj: Attempt) -> list[dict]:
        return feedback_render(obj.feedback, explanation=self.get_explanation(obj))

    @extend_schema_field(OpenApiTypes.ANY)
    def get_correct_answer(self, obj: Attempt) -> Any:
        return kinds.correct_answer(obj.exercise)

    def get_explanation(self, obj: Attempt) -> str:
        return kinds.translated(obj.exercise.explanation, ui_language())

    def get_transcript(self, obj: Attempt) -> str:
        return obj.exercise.transcript

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_next_review_at(self, obj: Attempt) -> Any:
        value = getattr(obj, "next_review_at", None)
        return UtcDateTimeField().to_representation(value) if value else None

    @extend_schema_field(DisputeBriefSerializer(allow_null=True))
    def get_dispute(self, obj: Attempt) -> dict | None:
        dispute = getattr(obj, "dispute", None)
        return DisputeBriefSerializer(dispute).data if dispute else None


class DueItemSerializer(serializers.Serializer):
    exercise = ExerciseOutputSerializer()
    due_at = UtcDateTimeField(allow_null=True)
    is_new = serializers.BooleanField()


class ReviewDueOutputSerializer(serializers.Serializer):
    due_total = serializers.IntegerField(help_text="All cards due now.")
    results = DueItemSerializer(many=True)


class ProgressRowSerializer(serializers.Serializer):
    exercises = serializers.IntegerField()
    attempted = serializers.IntegerField()
    attempts = serializers.IntegerField()
    correct = serializers.IntegerField()
    accuracy = serializers.FloatField(allow_null=True)
    due = serializers.IntegerField()
    known = serializers.IntegerField()
    practice_time_ms = serializers.IntegerField()


class ProgressTopicSerializer(ProgressRowSerializer):
    topic = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, obj: dict) -> str:
        return kinds.translated(obj["name"], ui_language())


class ProgressLevelSerializer(ProgressRowSerializer):
    level = serializers.CharField()
    topics = ProgressTopicSerializer(many=True)


class ProgressOutputSerializer(serializers.Serializer):
    language = serializers.CharField()
    level = serializers.CharField()
    streak_days = serializers.IntegerField()
    practice_time_ms = serializers.IntegerField()
    totals = ProgressRowSerializer()
    levels = ProgressLevelSerializer(many=True)


class DisputeExerciseSerializer(serializers.ModelSerializer):
    """For judges: the exercise with its accepted answers."""

    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Exercise
        fields = [
            "id",
            "key",
            "language",
            "level",
            "topic",
            "kind",
            "prompt",
            "payload",
        ]


class DisputeAttemptSerializer(serializers.ModelSerializer):
    answer = serializers.JSONField()
    feedback = serializers.JSONField()

    class Meta:
        model = Attempt
        fields = ["id", "answer", "verdict", "feedback", "answered_at"]


class DisputePersonSerializer(serializers.Serializer):
    """Who, by their public name only (never an e-mail address)."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class DisputeOutputSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()
    attempt = DisputeAttemptSerializer()
    exercise = DisputeExerciseSerializer(source="attempt.exercise")
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = [
            "id",
            "status",
            "comment",
            "user",
            "attempt",
            "exercise",
            "answer_added",
            "created_at",
            "decided_at",
            "decided_by",
            "decision_reason",
        ]

    @extend_schema_field(DisputePersonSerializer)
    def get_user(self, obj: Dispute) -> dict:
        return {"id": obj.user_id, "name": str(obj.user.public_name)}

    @extend_schema_field(DisputePersonSerializer(allow_null=True))
    def get_decided_by(self, obj: Dispute) -> dict | None:
        if obj.decided_by is None:
            return None
        return {"id": obj.decided_by_id, "name": str(obj.decided_by.public_name)}


class MyDisputeOutputSerializer(serializers.ModelSerializer):
    exercise = serializers.IntegerField(source="attempt.exercise_id", read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "attempt",
            "exercise",
            "status",
            "comment",
            "decision_reason",
            "created_at",
            "decided_at",
        ]


class PlacementItemSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    exercise = ExerciseOutputSerializer()


class PlacementLevelSerializer(serializers.Serializer):
    level = serializers.CharField()
    answered = serializers.IntegerField()
    right = serializers.IntegerField()


class PlacementResultSerializer(serializers.Serializer):
    level = serializers.CharField()
    levels = PlacementLevelSerializer(many=True)


class PlacementOutputSerializer(serializers.ModelSerializer):
    answered = serializers.SerializerMethodField()
    max_items = serializers.SerializerMethodField()
    item = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    class Meta:
        model = PlacementTest
        fields = [
            "id",
            "language",
            "status",
            "answered",
            "max_items",
            "item",
            "result",
            "created_at",
            "finished_at",
        ]

    def get_answered(self, obj: PlacementTest) -> int:
        return len(obj.items)

    def get_max_items(self, obj: PlacementTest) -> int:
        return PLACEMENT_MAX_ITEMS

    @extend_schema_field(PlacementItemSerializer(allow_null=True))
    def get_item(self, obj: PlacementTest) -> dict | None:
        if obj.current_exercise is None:
            return None
        return {
            "number": len(obj.items) + 1,
            "exercise": ExerciseOutputSerializer(obj.current_exercise).data,
        }

    @extend_schema_field(PlacementResultSerializer(allow_null=True))
    def get_result(self, obj: PlacementTest) -> dict | None:
        if obj.status != PlacementTest.Status.FINISHED:
            return None
        _level, levels = placement_result(obj.items)
        return {"level": obj.result_level, "levels": levels}

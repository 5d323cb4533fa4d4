"""Exercises, their grading profiles, learners' attempts, review cards and tests.

The kind-specific part of an exercise (options, blanks, accepted answers,
pairs...) lives in ``Exercise.payload`` exactly as the content files write it
(see ``exercises.content_format``), so import, export, the admin editor and the
grader all share one validated shape.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Level


class Topic(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    # The topic's name in the interface languages: {"en": "Shopping", "lv": ...}.
    name = models.JSONField(default=dict)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class LanguageProfile(models.Model):
    """How answers in one target language are graded; comes from the content."""

    language = models.CharField(max_length=2, unique=True)
    name = models.JSONField(default=dict)
    # The letters with diacritics, e.g. "āčēģīķļņšūž" for Latvian.
    diacritics = models.CharField(max_length=100, blank=True)
    # Pairs of words where a missing diacritic makes another word:
    # [["lapa", "lāpa"], ["sals", "sāls"], ...].
    confusables = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["language"]

    def __str__(self) -> str:
        return self.language


class Exercise(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "choice", _("Choose the right option")
        CLOZE = "cloze", _("Fill in the blanks")
        TRANSLATE = "translate", _("Translate")
        ORDER = "order", _("Put the words in order")
        MATCH = "match", _("Match the pairs")
        READING = "reading", _("Read and answer")

    key = models.CharField(max_length=100, unique=True)
    language = models.CharField(max_length=2)
    level = models.CharField(max_length=2, choices=Level.choices)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="exercises")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Target-language text shown above the task (may be empty, e.g. translate).
    prompt = models.TextField(blank=True)
    # Interface-language texts: {"en": ..., "lv": ..., "ru": ..., "uk": ...}.
    instructions = models.JSONField(default=dict)
    hint = models.JSONField(default=dict, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    audio = models.FileField(upload_to="exercises/audio/", blank=True)
    # What the recording says; like the answers, sent only after an attempt.
    transcript = models.TextField(blank=True)
    # The kind's data, including the accepted answers (never sent before an attempt).
    payload = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "level", "key"]
        indexes = [
            models.Index(
                fields=["language", "level", "topic", "kind"],
                name="exercise_filter_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Attempt(models.Model):
    class Verdict(models.TextChoices):
        CORRECT = "correct", _("Correct")
        ALMOST = "almost", _("Almost")
        INCORRECT = "incorrect", _("Incorrect")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="attempts"
    )
    answer = models.JSONField()
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    # Structured feedback without messages: [{"code": "typo", "expected": ...}].
    # Messages are rendered in the reader's language when serialized.
    feedback = models.JSONField(default=list, blank=True)
    client_attempt_id = models.UUIDField()
    answered_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_attempt_id"],
                name="attempt_client_id_unique_per_user",
            )
        ]
        indexes = [
            models.Index(fields=["user", "answered_at"], name="attempt_user_time_idx"),
            models.Index(fields=["user", "exercise"], name="attempt_user_exercise_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.exercise_id}: {self.verdict}"


class ReviewCard(models.Model):
    """One spaced-repetition card per user and exercise (FSRS state as JSON)."""

    class Source(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        ADDED = "added", _("Added (e.g. by a club)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="review_cards"
    )
    source = models.CharField(
        max_length=10, choices=Source.choices, default=Source.PRACTICE
    )
    # fsrs.Card.to_dict() of the current state.
    state = models.JSONField(default=dict)
    due_at = models.DateTimeField(db_index=True)
    last_review_at = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    # Running totals of the card's attempts (``reviews`` is their number), kept
    # by the attempt service so progress never scans every attempt.
    correct = models.PositiveIntegerField(default=0)
    practice_ms = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exercise"], name="review_card_unique_per_exercise"
            )
        ]
        indexes = [
            models.Index(fields=["user", "due_at"], name="review_card_user_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.exercise_id} due {self.due_at:%Y-%m-%d %H:%M}"


class PracticeDay(models.Model):
    """A day (in the learner's time zone when they practised) with at least one
    attempt in a language: the day streak reads these, not every attempt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=2)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "language", "day"], name="practice_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} practised on {self.day}"


class Dispute(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    # One dispute per attempt, enforced by the database.
    attempt = models.OneToOneField(
        Attempt, on_delete=models.CASCADE, related_name="dispute"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="disputes"
    )
    comment = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Whether accepting added the answer to the exercise (not for choice/match).
    answer_added = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The judge's words to the learner: required when rejecting.
    decision_reason = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"dispute {self.pk} ({self.status})"


class AcceptedAnswer(models.Model):
    """An answer staff accepted by judging a dispute: a kept decision.

    The exercise's payload holds it too (the grader reads the payload), but
    content import replaces payloads from the files, so import adds these
    back and export writes them into the YAML with their provenance.
    ``answer`` has the kind's shape: a text (translate, order) or one text
    per blank (cloze).
    """

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="accepted_answers"
    )
    dispute = models.OneToOneField(
        Dispute,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_answer",
    )
    answer = models.JSONField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField()
    # Provenance as a content file gave it, for decisions made in another
    # database: {"dispute": 12, "accepted_by": "judge@example.com"}.
    source = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["accepted_at", "id"]

    def __str__(self) -> str:
        return f"{self.exercise_id}: {self.answer}"


class PlacementTest(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="placement_tests",
    )
    language = models.CharField(max_length=2)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    current_level = models.CharField(max_length=2, choices=Level.choices)
    current_exercise = models.ForeignKey(
        Exercise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Answered items in order: [{"exercise": id, "level": "A2", "verdict": ...}].
    items = models.JSONField(default=list, blank=True)
    result_level = models.CharField(max_length=2, choices=Level.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "language"],
                condition=models.Q(status="in_progress"),
                name="one_running_placement_per_language",
            )
        ]

    def __str__(self) -> str:
        return f"placement {self.pk} ({self.language}, {self.status})"

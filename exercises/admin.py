"""Admin for content editors and judges: exercises (with a validated JSON editor
for the kind's data and answers), topics, language profiles, the dispute queue."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from backend.api.errors import ApiError
from exercises.content_format import payload_errors
from exercises.models import (
    AcceptedAnswer,
    Attempt,
    Dispute,
    Exercise,
    LanguageProfile,
    PlacementTest,
    ReviewCard,
    Topic,
)
from exercises.services.disputes import dispute_decide

PAYLOAD_HELP = (
    "The kind's data as JSON. choice: {options: [...], answer: one option}; "
    'cloze: {text: "Es ___ maizi.", blanks: [[accepted, ...], ...]}; '
    "translate: {source: {en: ..., ru: ...}, answers: [...]}; "
    'order: {words: [...], answers: ["Es dzīvoju Rīgā", ...]}; '
    "match: {pairs: [[left, right], ...]}; "
    "reading: {title, text, questions: [{prompt, options, answer} or "
    "{prompt, answers: [...]}]}. See docs/content.md."
)


class ReadableJSONField(forms.JSONField):
    """Indented, unescaped JSON, so editors can read Latvian letters."""

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class ExerciseForm(forms.ModelForm):
    payload = ReadableJSONField(
        help_text=PAYLOAD_HELP, widget=forms.Textarea(attrs={"rows": 16, "cols": 90})
    )
    instructions = ReadableJSONField(widget=forms.Textarea(attrs={"rows": 6}))
    hint = ReadableJSONField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    explanation = ReadableJSONField(
        required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    class Meta:
        model = Exercise
        fields = [
            "key",
            "language",
            "level",
            "topic",
            "kind",
            "prompt",
            "instructions",
            "hint",
            "explanation",
            "audio",
            "transcript",
            "payload",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        kind, payload = cleaned.get("kind"), cleaned.get("payload")
        if kind and payload is not None:
            for error in payload_errors(kind, payload):
                self.add_error("payload", error)
        instructions = cleaned.get("instructions")
        if instructions is not None and (
            not isinstance(instructions, dict) or not instructions.get("en")
        ):
            self.add_error("instructions", _("Give at least an English (en) text."))
        for name in ("hint", "explanation"):
            if cleaned.get(name) is None:
                cleaned[name] = {}
        return cleaned


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseForm
    list_display = ["key", "language", "level", "topic", "kind", "is_active"]
    list_filter = ["language", "level", "topic", "kind", "is_active"]
    search_fields = ["key", "prompt"]
    list_select_related = ["topic"]
    readonly_fields = ["created_at", "updated_at"]
    ordering = ["language", "level", "key"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "position", "name"]
    ordering = ["position", "slug"]


@admin.register(LanguageProfile)
class LanguageProfileAdmin(admin.ModelAdmin):
    list_display = ["language", "diacritics"]


def _decide(
    modeladmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    accept: bool,
    reason: str = "",
):
    done = 0
    for dispute in queryset.filter(status=Dispute.Status.PENDING):
        try:
            dispute_decide(
                dispute_id=dispute.pk, judge=request.user, accept=accept, reason=reason
            )
            done += 1
        except ApiError as error:
            modeladmin.message_user(
                request, f"#{dispute.pk}: {error.message}", messages.WARNING
            )
    modeladmin.message_user(
        request, _("%(count)d dispute(s) decided.") % {"count": done}
    )


@admin.action(description=_("Accept: add the answer and mark the attempt correct"))
def accept_disputes(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, accept=True)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the learner)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.action(description=_("Reject (asks for the reason)"))
def reject_disputes(modeladmin, request, queryset):
    """A rejection says why: ask for the reason on a page of its own first."""
    form = RejectForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        _decide(
            modeladmin,
            request,
            queryset,
            accept=False,
            reason=form.cleaned_data["reason"],
        )
        return None
    return TemplateResponse(
        request,
        "admin/exercises/dispute/reject.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Reject disputes"),
            "form": form,
            "disputes": queryset.filter(status=Dispute.Status.PENDING).select_related(
                "attempt"
            ),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "status",
        "exercise",
        "given_answer",
        "comment",
        "created_at",
    ]
    list_filter = ["status", "attempt__exercise__language"]
    list_select_related = ["attempt__exercise", "user"]
    actions = [accept_disputes, reject_disputes]
    readonly_fields = [
        "attempt",
        "user",
        "comment",
        "status",
        "answer_added",
        "decided_by",
        "decided_at",
        "decision_reason",
        "created_at",
        "exercise",
        "given_answer",
        "accepted_answers",
    ]
    ordering = ["status", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("exercise"))
    def exercise(self, obj: Dispute) -> str:
        return obj.attempt.exercise.key

    @admin.display(description=_("answer"))
    def given_answer(self, obj: Dispute) -> str:
        return json.dumps(obj.attempt.answer, ensure_ascii=False)

    @admin.display(description=_("accepted answers"))
    def accepted_answers(self, obj: Dispute) -> str:
        return json.dumps(obj.attempt.exercise.payload, ensure_ascii=False, indent=1)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "exercise", "verdict", "answered_at"]
    list_filter = ["verdict", "exercise__language"]
    list_select_related = ["user", "exercise"]
    raw_id_fields = ["user", "exercise"]


@admin.register(ReviewCard)
class ReviewCardAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "exercise", "due_at", "reviews", "source"]
    list_select_related = ["user", "exercise"]
    raw_id_fields = ["user", "exercise"]


@admin.register(PlacementTest)
class PlacementTestAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "language", "status", "result_level", "created_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "current_exercise"]


@admin.register(AcceptedAnswer)
class AcceptedAnswerAdmin(admin.ModelAdmin):
    """Decisions kept across content imports; deleting one undoes it at the
    next import (take the answer out of the exercise too)."""

    list_display = ["id", "exercise", "answer", "dispute", "accepted_by", "accepted_at"]
    list_select_related = ["exercise", "accepted_by"]
    raw_id_fields = ["exercise", "dispute", "accepted_by"]
    readonly_fields = ["source"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

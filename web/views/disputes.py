"""The dispute queue: "my answer should be accepted", judged by approved
volunteers and staff with the exercises app's selector and service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.api.errors import ApiError
from exercises import kinds
from exercises import selectors as exercise_selectors
from exercises.answer_keys import expand_all
from exercises.models import Exercise
from exercises.services import disputes as dispute_services
from web import selectors as web_selectors
from web.host_forms import DisputeDecisionForm, DisputeFilterForm
from web.page_errors import api_errors_as_pages, in_my_time_zone
from web.views.host import may_host
from web.views.learning import answer_display

DISPUTES_PER_PAGE = 50
# Answer keys can expand to many answers; a judge needs to see the gist.
ANSWERS_SHOWN = 12


def accepted_answers(exercise: Exercise) -> list[str]:
    """What the exercise accepts today, as text a judge can compare with."""
    payload = exercise.payload
    match exercise.kind:
        case Exercise.Kind.CHOICE:
            return [payload["answer"]]
        case Exercise.Kind.TRANSLATE | Exercise.Kind.ORDER:
            return expand_all(payload["answers"])[:ANSWERS_SHOWN]
        case Exercise.Kind.CLOZE:
            return [
                " / ".join(expand_all(blank)[:ANSWERS_SHOWN])
                for blank in payload["blanks"]
            ]
        case Exercise.Kind.MATCH:
            return [f"{a} – {b}" for a, b in payload["pairs"]]
        case Exercise.Kind.READING:
            return [
                question.get("answer")
                or " / ".join(expand_all(question.get("answers", []))[:ANSWERS_SHOWN])
                for question in payload["questions"]
            ]
    return []


def _answer_text(exercise: Exercise, answer: object) -> str:
    if exercise.kind == Exercise.Kind.READING and isinstance(answer, list):
        # Choice questions were answered with an option id: show its text.
        options = {}
        for index, question in enumerate(exercise.payload["questions"]):
            if "options" in question:
                options.update(
                    (o["id"], o["text"])
                    for o in kinds.question_options(exercise, index)
                )
        return " · ".join(str(options.get(part, part)) for part in answer)
    try:
        return answer_display(exercise, answer)
    except (TypeError, ValueError, KeyError):
        return str(answer)


@login_required
@in_my_time_zone
def dispute_queue(request: HttpRequest) -> HttpResponse:
    if not may_host(request.user):
        raise PermissionDenied(_("Only approved volunteers and staff judge disputes."))
    languages = [p.language for p in web_selectors.language_profile_list()]
    form = DisputeFilterForm(request.GET or None, languages=languages)
    filters = form.selector_filters() if form.is_bound else {}
    # A bad or too high ?page shows the first or the last page, never an error.
    page = Paginator(
        exercise_selectors.dispute_list(**filters), DISPUTES_PER_PAGE
    ).get_page(request.GET.get("page"))
    for dispute in page:
        exercise = dispute.attempt.exercise
        dispute.answer_text = _answer_text(exercise, dispute.attempt.answer)
        dispute.accepted = accepted_answers(exercise)
        dispute.own = dispute.user_id == request.user.pk
    context = {"form": form, "page": page, "filtered": bool(filters)}
    return render(request, "web/host/disputes.html", context)


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    """Back to the page and language the judge decided from (the form's URL
    carries them); the queue checks them again."""
    kept = {
        key: request.GET[key] for key in ("language", "page") if request.GET.get(key)
    }
    url = reverse("web:disputes")
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


@login_required
@require_POST
@api_errors_as_pages
def dispute_decide(request: HttpRequest, dispute_id: int) -> HttpResponse:
    if not may_host(request.user):
        raise PermissionDenied(_("Only approved volunteers and staff judge disputes."))
    form = DisputeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose accept or reject; a reason has at most 1000 characters.")
        )
        return _back_to_queue(request)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        dispute_services.dispute_decide(
            dispute_id=dispute_id,
            judge=request.user,
            accept=accept,
            reason=form.cleaned_data["reason"],
        )
    except ApiError as error:
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Accepted: the learner sees it on their progress page.")
            if accept
            else _("Rejected: the learner sees your reason on their progress page."),
        )
    return _back_to_queue(request)

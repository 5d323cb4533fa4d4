"""Learning pages: placement, practice and progress, on the API's services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from backend.accounts.models import Level
from backend.api.errors import ApiError
from exercises import kinds
from exercises import selectors as exercise_selectors
from exercises.models import Exercise
from exercises.serializers import ExerciseOutputSerializer
from exercises.services import placement as placement_services
from exercises.services.placement import PLACEMENT_MAX_ITEMS
from web import selectors
from web.forms import language_name

QUEUE_SHOWN = 20


LEVEL_TEXTS = {
    Level.A1: gettext_lazy(
        "You are starting out: greetings, numbers, shops and simple questions. "
        "Practice begins with short everyday phrases."
    ),
    Level.A2: gettext_lazy(
        "You manage simple everyday situations: shopping, transport, an "
        "appointment. Practice builds longer sentences on the same topics."
    ),
    Level.B1: gettext_lazy(
        "You get by at work, at the doctor's and in offices, and can tell what "
        "happened. Practice adds cases, tenses and phrasing that sounds natural."
    ),
    Level.B2: gettext_lazy(
        "You follow most conversations and can argue a point. Practice polishes "
        "the details: endings, word order, formal letters."
    ),
    Level.C1: gettext_lazy(
        "You speak fluently and flexibly. Practice keeps the finer points of "
        "grammar and style sharp."
    ),
    Level.C2: gettext_lazy(
        "You master the language. Practice is there to keep it that way."
    ),
}


def _level_text(level: str) -> str:
    return str(LEVEL_TEXTS.get(level, LEVEL_TEXTS[Level.A1]))


@login_required
@never_cache
def placement(request: HttpRequest) -> HttpResponse:
    user = request.user
    language = user.target_language
    test = selectors.placement_latest_for_owner(user=user, language=language)
    context = {
        "test": test,
        "language_name": language_name(language),
        "max_items": PLACEMENT_MAX_ITEMS,
    }
    if test is not None and test.current_exercise is not None:
        context["number"] = len(test.items) + 1
        context["exercise_data"] = ExerciseOutputSerializer(test.current_exercise).data
    elif test is not None and test.result_level:
        context["level_text"] = _level_text(test.result_level)
    return render(request, "web/placement.html", context)


@login_required
@require_POST
def placement_start(request: HttpRequest) -> HttpResponse:
    try:
        placement_services.placement_start(
            user=request.user, language=request.user.target_language
        )
    except ApiError as error:
        messages.error(request, error.message)
    return redirect("web:placement")


@login_required
def practice(request: HttpRequest) -> HttpResponse:
    user = request.user
    items, due_total = exercise_selectors.review_due_list(
        user=user, language=user.target_language, limit=QUEUE_SHOWN, now=timezone.now()
    )
    context = {
        "items": items,
        "due_total": due_total,
        "new_count": sum(1 for item in items if item.is_new),
        "letters": selectors.language_letters(language=user.target_language),
        "language_name": language_name(user.target_language),
    }
    return render(request, "web/practice.html", context)


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    user = request.user
    data = exercise_selectors.progress_get(
        user=user, language=user.target_language, now=timezone.now()
    )
    ui = (translation.get_language() or "en")[:2]
    for level in data["levels"]:
        for topic in level["topics"]:
            topic["label"] = kinds.translated(topic["name"], ui)
    disputes = selectors.dispute_list_for_owner(user=user)
    for dispute in disputes:
        dispute.answer_text = answer_display(
            dispute.attempt.exercise, dispute.attempt.answer
        )
    context = {
        "progress": data,
        "disputes": disputes,
        "language_name": language_name(user.target_language),
        "practice_minutes": round(data["practice_time_ms"] / 60000),
    }
    return render(request, "web/progress.html", context)


def answer_display(exercise: Exercise, answer: object) -> str:
    """A learner's stored answer as text (option and pair ids become words)."""
    match exercise.kind:
        case Exercise.Kind.CHOICE:
            options = {o["id"]: o["text"] for o in kinds.choice_options(exercise)}
            return options.get(answer, "")
        case Exercise.Kind.MATCH:
            left, right = kinds.match_sides(exercise)
            names = {o["id"]: o["text"] for o in [*left, *right]}
            return "; ".join(
                f"{names.get(a, '?')} – {names.get(b, '?')}" for a, b in answer
            )
        case Exercise.Kind.CLOZE:
            return " … ".join(answer)
        case Exercise.Kind.ORDER:
            return " ".join(answer)
    return str(answer)

"""Reads the web pages need beyond the API's selectors (each a fixed number of
queries whatever the amount of data)."""

from django.db.models import QuerySet

from exercises.models import Dispute, LanguageProfile, PlacementTest

MY_DISPUTES_SHOWN = 20


def language_profile_list() -> QuerySet[LanguageProfile]:
    """The target languages Runa has content for."""
    return LanguageProfile.objects.order_by("language")


def language_letters(*, language: str) -> str:
    """The letters with diacritics of a target language (for the letter row)."""
    return (
        LanguageProfile.objects.filter(language=language)
        .values_list("diacritics", flat=True)
        .first()
        or ""
    )


def placement_latest_for_owner(*, user, language: str) -> PlacementTest | None:
    """The running placement test in ``language``, else the last finished one."""
    tests = PlacementTest.objects.filter(user=user, language=language).select_related(
        "current_exercise__topic"
    )
    running = tests.filter(status=PlacementTest.Status.IN_PROGRESS).first()
    return running or tests.order_by("-created_at", "-id").first()


def dispute_list_for_owner(*, user, limit: int = MY_DISPUTES_SHOWN) -> list[Dispute]:
    """My latest disputes with their exercise, newest first."""
    return list(
        Dispute.objects.filter(user=user)
        .select_related("attempt__exercise__topic")
        .order_by("-created_at", "-id")[:limit]
    )

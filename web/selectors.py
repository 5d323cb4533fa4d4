"""Reads the web pages need beyond the API's selectors (each a fixed number of
queries whatever the amount of data)."""

from datetime import datetime

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from clubs.models import Club, Feedback, Registration, Session
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


# --- Clubs ----------------------------------------------------------------------
# The club pages read sessions through clubs.selectors (the API's); these add
# what only the pages show: the waitlist's length, the filters' choices and my
# registrations as a history.


def club_filter_choices() -> tuple[list[str], list[str]]:
    """The languages and cities of active clubs, for the filter form."""
    pairs = set(
        Club.objects.filter(active=True)
        .order_by()
        .values_list("language", "city")
        .distinct()
    )
    return sorted({p[0] for p in pairs}), sorted({p[1] for p in pairs})


def registration_list_for_owner(
    *, user, upcoming: bool, now: datetime
) -> QuerySet[Registration]:
    """My registrations with their sessions: upcoming ones soonest first (those
    not ended yet), past ones latest first.

    A cancelled registration is left out when I signed up for the same session
    again: the session then shows once, with its live status.
    """
    signed_up_again = Registration.objects.filter(
        session=OuterRef("session"), user=user
    ).exclude(status=Registration.Status.CANCELLED)
    qs = (
        Registration.objects.filter(user=user)
        .exclude(Q(status=Registration.Status.CANCELLED) & Exists(signed_up_again))
        .select_related("session__club")
    )
    if upcoming:
        return qs.filter(session__ends_at__gte=now).order_by(
            "session__starts_at", "session_id", "-created_at"
        )
    return qs.filter(session__ends_at__lt=now).order_by(
        "-session__starts_at", "-session_id", "-created_at"
    )


def feedback_get_mine(*, session: Session, user) -> Feedback | None:
    return Feedback.objects.filter(session=session, user=user).first()

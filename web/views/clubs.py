"""Club pages for newcomers: find a session, sign up, check in, my sessions.

The same access getters, selectors and services as the API (``clubs/``);
errors the services raise (``ApiError``: full, time_conflict,
session_started…) become messages on the page and change nothing.
"""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from backend.api.errors import ApiError
from clubs import access
from clubs import selectors as club_selectors
from clubs.models import Registration, Session
from clubs.services import attendance as attendance_services
from clubs.services import calendars as calendar_services
from clubs.services import registrations as registration_services
from clubs.services.attendance import SELF_CHECK_IN_GRACE
from clubs.services.sessions import week_of
from web import selectors
from web.club_forms import (
    CheckInForm,
    FeedbackForm,
    SessionFilterForm,
    iso_week,
    parse_iso_week,
)
from web.page_errors import api_errors_as_pages, in_my_time_zone

SESSIONS_PER_PAGE = 20
PAST_PER_PAGE = 20
# Whose registration may still check themselves in once the session started
# (the service decides; this only picks whom the page offers the form).
CHECK_IN_OFFERED = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.NO_SHOW,
)


# --- Finding a session --------------------------------------------------------------


def _week_days(monday, sessions: list[Session], zone) -> list[dict]:
    days = [{"day": monday + timedelta(days=n), "sessions": []} for n in range(7)]
    for session in sessions:
        local_day = session.starts_at.astimezone(zone).date()
        index = (local_day - monday).days
        if 0 <= index < 7:
            days[index]["sessions"].append(session)
    return days


@login_required
@require_safe
@in_my_time_zone
def session_list(request: HttpRequest) -> HttpResponse:
    """Upcoming sessions as a list, or one week's (``?view=week&week=2026-W49``)."""
    user = request.user
    zone = user.zone
    languages, cities = selectors.club_filter_choices()
    form = SessionFilterForm(request.GET or None, languages=languages, cities=cities)
    filters = form.selector_filters() if form.is_bound else {}
    week_view = request.GET.get("view") == "week"
    context: dict = {"form": form, "week_view": week_view}
    if week_view:
        today = timezone.now().astimezone(zone).date()
        monday = parse_iso_week(request.GET.get("week", ""))
        if monday is None:
            if request.GET.get("week"):
                messages.error(
                    request, _("That week does not exist; here is this week.")
                )
            monday = week_of(today)
        begin = datetime.combine(monday, time(0), tzinfo=zone)
        end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
        filters["from"] = begin
        filters["to"] = end - timedelta(microseconds=1)
        context.update(
            monday=monday,
            sunday=monday + timedelta(days=6),
            week=iso_week(monday),
            prev_week=iso_week(monday - timedelta(days=7)),
            next_week=iso_week(monday + timedelta(days=7)),
            this_week=iso_week(week_of(today)),
        )
    sessions = club_selectors.session_list(user=user, filters=filters)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = club_selectors.with_session_states(
        list(page.object_list), user_id=user.pk
    )
    context["page"] = page
    context["now"] = timezone.now()
    if week_view:
        context["days"] = _week_days(context["monday"], list(page), zone)
    return render(request, "web/clubs/session_list.html", context)


# --- One session --------------------------------------------------------------------


def _session_page(
    request: HttpRequest,
    session: Session,
    *,
    check_in_form: CheckInForm | None = None,
    feedback_form: FeedbackForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    cancelled = session.status == Session.Status.CANCELLED
    started = session.starts_at <= now
    hosting = bool(user.is_staff or session.is_host)
    my_status = session.my_status
    context = {
        "session": session,
        "now": now,
        "cancelled": cancelled,
        "started": started,
        "hosting": hosting,
        "is_host": session.is_host,
        "show_online_url": bool(session.online_url)
        and club_selectors.session_can_see_online_url(session=session, user=user),
        "may_join_room": club_selectors.session_role(session=session, user=user)
        is not None,
        "may_sign_up": not cancelled
        and not started
        and my_status is None
        and not session.is_host,
        "may_cancel": not cancelled
        and not started
        and my_status in club_selectors.LIVE,
        "may_check_in": not cancelled
        and started
        and not session.is_host
        and my_status in CHECK_IN_OFFERED
        and now <= session.ends_at + SELF_CHECK_IN_GRACE,
        "may_give_feedback": my_status == Registration.Status.ATTENDED,
        "feed_url": _feed_url(request),
    }
    if context["may_check_in"] or check_in_form is not None:
        context["may_check_in"] = True
        context["check_in_form"] = check_in_form or CheckInForm()
    if context["may_give_feedback"]:
        if feedback_form is None:
            mine = selectors.feedback_get_mine(session=session, user=user)
            initial = {"rating": mine.rating, "comment": mine.comment} if mine else {}
            feedback_form = FeedbackForm(initial=initial)
            context["feedback_given"] = mine is not None
        context["feedback_form"] = feedback_form
    return render(request, "web/clubs/session_detail.html", context, status=status)


def _feed_url(request: HttpRequest) -> str:
    feed = calendar_services.calendar_feed_get_or_create(user=request.user)
    return request.build_absolute_uri(
        reverse("clubs:calendar-feed", kwargs={"token": feed.token})
    )


@login_required
@require_safe
@in_my_time_zone
@api_errors_as_pages
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    return _session_page(
        request, access.session_get(user=request.user, session_id=session_id)
    )


def _back_to(session_id: int) -> HttpResponse:
    return redirect("web:session", session_id=session_id)


@login_required
@require_POST
@api_errors_as_pages
def session_sign_up(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_get(user=request.user, session_id=session_id)
    try:
        registration = registration_services.registration_create(
            session_id=session.pk, user=request.user
        )
    except ApiError as error:
        messages.error(request, error.message)
    else:
        if registration.status == Registration.Status.WAITLISTED:
            messages.success(
                request,
                _(
                    "The session is full: you are number %(position)s on the "
                    "waitlist. You will get an e-mail if a place frees up."
                )
                % {"position": registration.waitlist_position},
            )
        else:
            messages.success(request, _("You have a place. See you there!"))
    return _back_to(session.pk)


@login_required
@require_POST
@api_errors_as_pages
def session_cancel_registration(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_get(user=request.user, session_id=session_id)
    try:
        registration_services.registration_cancel(
            session_id=session.pk, user=request.user
        )
    except ApiError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are no longer signed up for this session."))
    return _back_to(session.pk)


def _on_form_field(form, error: ApiError) -> bool:
    """Put a service's refusal on the form's fields it names, if any."""
    placed = False
    for name, texts in (error.fields or {}).items():
        if name in form.fields:
            for text in texts:
                form.add_error(name, text)
            placed = True
    return placed


@login_required
@require_POST
@in_my_time_zone
@api_errors_as_pages
def session_check_in(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_get(user=request.user, session_id=session_id)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            attendance_services.attendance_check_in(
                session_id=session.pk,
                user=request.user,
                code=form.validated_data["code"],
                as_host=False,
            )
        except ApiError as error:
            if not _on_form_field(form, error):  # not signed up, closed…
                messages.error(request, error.message)
                return _back_to(session.pk)
        else:
            messages.success(request, _("You are checked in. Enjoy the session!"))
            return _back_to(session.pk)
    return _session_page(request, session, check_in_form=form, status=400)


@login_required
@require_POST
@in_my_time_zone
@api_errors_as_pages
def session_feedback(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_get(user=request.user, session_id=session_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            attendance_services.feedback_submit(
                session_id=session.pk, user=request.user, **form.validated_data
            )
        except ApiError as error:
            # Not attended: the page has no feedback form to show it on.
            messages.error(request, error.message)
            return _back_to(session.pk)
        messages.success(request, _("Thank you for your feedback."))
        return _back_to(session.pk)
    if session.my_status != Registration.Status.ATTENDED:
        messages.error(
            request, _("Only people who attended the session may leave feedback.")
        )
        return _back_to(session.pk)
    return _session_page(request, session, feedback_form=form, status=400)


# --- My sessions and my calendar --------------------------------------------------


@login_required
@require_safe
@in_my_time_zone
def my_sessions(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    upcoming = selectors.registration_list_for_owner(
        user=request.user, upcoming=True, now=now
    )
    past = Paginator(
        selectors.registration_list_for_owner(
            user=request.user, upcoming=False, now=now
        ),
        PAST_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "upcoming": upcoming,
        "past": past,
        "feed_url": _feed_url(request),
    }
    return render(request, "web/clubs/my_sessions.html", context)


@login_required
@require_POST
def calendar_feed_reset(request: HttpRequest) -> HttpResponse:
    calendar_services.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar feed has a new address; the old one no longer works. "
            "Add the new one to your calendar app."
        ),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:my-sessions")
    return redirect(target)

"""Host pages: my clubs and sessions, club and session forms, a session as
its host (participants, attendance, check-in code, feedback, exercise pack).

The same access getters, selectors and services as the API: a page that may
not be opened is the 403 page (``web.page_errors``), a refused change shows
the service's message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.api.errors import ApiError
from clubs import access, selectors
from clubs.models import AttendanceStatus, Club, Registration, Session
from clubs.serializers import AttendanceInputSerializer
from clubs.services import attendance as attendance_services
from clubs.services import clubs as club_services
from clubs.services import cohosts as cohost_services
from clubs.services import sessions as session_services
from exercises.models import Exercise
from web import selectors as web_selectors
from web.host_forms import CancelForm, ClubForm, SessionForm
from web.page_errors import api_errors_as_pages, in_my_time_zone

UPCOMING_SHOWN = 50


def may_host(user) -> bool:
    """Who may use the host pages at all: approved volunteers and staff."""
    return user.is_authenticated and (user.is_staff or user.is_approved_volunteer)


def _require_host(request: HttpRequest) -> None:
    if not may_host(request.user):
        raise PermissionDenied(_("Only approved volunteers and staff may host."))


def _club_languages() -> list[str]:
    return [p.language for p in web_selectors.language_profile_list()]


def _session_exercises(language: str):
    return (
        Exercise.objects.filter(language=language, is_active=True)
        .select_related("topic")
        .order_by("level", "kind", "key")
    )


# --- My clubs and sessions ----------------------------------------------------


def _upcoming(user, filters: dict) -> list:
    """The first sessions to come that match, with what the host sees of them."""
    sessions = list(selectors.session_list(user=user, filters=filters)[:UPCOMING_SHOWN])
    return selectors.with_session_states(sessions, user_id=user.pk)


@login_required
@in_my_time_zone
def host_home(request: HttpRequest) -> HttpResponse:
    _require_host(request)
    user = request.user
    clubs = list(selectors.club_list(user=user, filters={"mine": True}))
    for club in clubs:
        club.weekday_name = WEEKDAYS[club.weekday]
    sessions = _upcoming(user, {"hosted": True})
    invitations = list(selectors.cohost_invitation_list_for_invitee(user=user))
    context = {"clubs": clubs, "sessions": sessions, "invitations": invitations}
    return render(request, "web/host/home.html", context)


@login_required
@require_POST
@api_errors_as_pages
def invitation_decide(request: HttpRequest, invitation_id: int) -> HttpResponse:
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or to decline."))
        return redirect("web:host")
    decide = (
        cohost_services.cohost_invitation_accept
        if decision == "accept"
        else cohost_services.cohost_invitation_decline
    )
    try:
        invitation = decide(user=request.user, invitation_id=invitation_id)
    except ApiError as error:
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
    else:
        if decision == "accept":
            messages.success(
                request, _("You now host %(club)s.") % {"club": invitation.club.name}
            )
        else:
            messages.success(request, _("Invitation declined."))
    return redirect("web:host")


# --- Clubs --------------------------------------------------------------------


def _club_form(request: HttpRequest, *, club: Club | None) -> ClubForm:
    options = {
        "languages": _club_languages(),
        "creating": club is None,
        "time_zone": club.time_zone
        if club
        else Club._meta.get_field("time_zone").get_default(),
    }
    if request.method == "POST":
        return ClubForm(request.POST, **options)
    initial = ClubForm.initial_for(club) if club else {"city": "riga"}
    return ClubForm(initial=initial, **options)


@login_required
@in_my_time_zone
def club_new(request: HttpRequest) -> HttpResponse:
    _require_host(request)
    form = _club_form(request, club=None)
    if request.method == "POST" and form.is_valid():
        try:
            club = club_services.club_create(user=request.user, data=form.api_data)
        except ApiError as error:
            form.add_api_error(error)
        else:
            messages.success(
                request,
                _("The club is created with its sessions of the coming weeks."),
            )
            return redirect("web:host-club-edit", club_id=club.pk)
    return render(request, "web/host/club_form.html", {"form": form, "club": None})


@login_required
@in_my_time_zone
@api_errors_as_pages
def club_edit(request: HttpRequest, club_id: int) -> HttpResponse:
    club = access.club_get_for_host(user=request.user, club_id=club_id)
    form = _club_form(request, club=club)
    if request.method == "POST" and form.is_valid():
        try:
            club_services.club_update(
                club_id=club.pk, data=form.api_data, user=request.user
            )
        except ApiError as error:
            form.add_api_error(error)
        else:
            messages.success(request, _("The club is saved."))
            return redirect("web:host-club-edit", club_id=club.pk)
    sessions = _upcoming(request.user, {"club": club.pk})
    hosts = list(club.hosts.all())
    context = {
        "form": form,
        "club": club,
        "sessions": sessions,
        "hosts": hosts,
        # The service keeps the last host; the page offers no button to try.
        "may_remove_hosts": len(hosts) > 1,
        "invited": list(selectors.cohost_invitation_list_for_club(club=club)),
    }
    return render(request, "web/host/club_form.html", context)


@login_required
@require_POST
@api_errors_as_pages
def cohost_invite(request: HttpRequest, club_id: int) -> HttpResponse:
    """Invite an approved volunteer, by e-mail address, to co-host the club."""
    club = access.club_get_for_host(user=request.user, club_id=club_id)
    email = request.POST.get("email", "").strip()[:254]
    if not email:
        messages.error(request, _("Type the volunteer's e-mail address."))
    else:
        try:
            invitation = cohost_services.cohost_invite(
                club=club, invited_by=request.user, email=email
            )
        except ApiError as error:
            message = next(iter((error.fields or {}).values()), [error.message])[0]
            messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s is invited; they host once they accept.")
                % {"name": invitation.invitee.public_name},
            )
    return redirect("web:host-club-edit", club_id=club.pk)


@login_required
@require_http_methods(["GET", "POST"])
@api_errors_as_pages
def cohost_remove(request: HttpRequest, club_id: int, user_id: int) -> HttpResponse:
    """Remove a host of the club, after asking (GET shows the question); the
    club keeps at least one."""
    club = access.club_get_for_host(user=request.user, club_id=club_id)
    if request.method == "GET":
        host = club.hosts.filter(pk=user_id).exclude(pk=request.user.pk).first()
        if host is None:
            raise Http404
        return render(
            request, "web/host/cohost_remove.html", {"club": club, "host": host}
        )
    try:
        removed = cohost_services.club_cohost_remove(
            club=club, user_id=user_id, actor=request.user
        )
    except ApiError as error:
        if error.status_code in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s no longer hosts %(club)s.")
            % {"name": removed.public_name, "club": club.name},
        )
    return redirect("web:host-club-edit", club_id=club.pk)


# --- Sessions -----------------------------------------------------------------


@login_required
@in_my_time_zone
@api_errors_as_pages
def session_new(request: HttpRequest, club_id: int) -> HttpResponse:
    club = access.club_get_for_host(user=request.user, club_id=club_id)
    exercises = _session_exercises(club.language)
    if request.method == "POST":
        form = SessionForm(request.POST, exercises=exercises)
        if form.is_valid():
            try:
                session = session_services.session_create(club=club, data=form.api_data)
            except ApiError as error:
                form.add_api_error(error)
            else:
                messages.success(request, _("The session is added."))
                return redirect("web:host-session", session_id=session.pk)
    else:
        form = SessionForm(
            initial=SessionForm.initial_for_club(club), exercises=exercises
        )
    context = {"form": form, "club": club, "session": None}
    return render(request, "web/host/session_form.html", context)


@login_required
@in_my_time_zone
@api_errors_as_pages
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_get_for_host(user=request.user, session_id=session_id)
    exercises = _session_exercises(session.club.language)
    options = {"exercises": exercises, "session": session}
    if request.method == "POST":
        form = SessionForm(request.POST, **options)
        if form.is_valid():
            try:
                session_services.session_update(
                    session_id=session.pk, data=form.api_data
                )
            except ApiError as error:
                form.add_api_error(error)
            else:
                messages.success(request, _("The session is saved."))
                return redirect("web:host-session", session_id=session.pk)
    else:
        form = SessionForm(initial=SessionForm.initial_for(session), **options)
    context = {
        "form": form,
        "club": session.club,
        "session": session,
        "cancel_form": CancelForm(),
    }
    return render(request, "web/host/session_form.html", context)


@login_required
@require_POST
@in_my_time_zone
@api_errors_as_pages
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_get_for_host(user=request.user, session_id=session_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            session_services.session_cancel(
                session_id=session.pk, reason=form.api_data["reason"]
            )
        except ApiError as error:
            form.add_api_error(error)
        else:
            messages.success(
                request, _("The session is cancelled; everyone signed up is told.")
            )
            return redirect("web:host-session", session_id=session.pk)
    exercises = _session_exercises(session.club.language)
    context = {
        "form": SessionForm(
            initial=SessionForm.initial_for(session),
            exercises=exercises,
            session=session,
        ),
        "club": session.club,
        "session": session,
        "cancel_form": form,
    }
    return render(request, "web/host/session_form.html", context, status=400)


# --- A session as its host ----------------------------------------------------


@login_required
@in_my_time_zone
@api_errors_as_pages
def session_host(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_get_for_host(user=request.user, session_id=session_id)
    participants = list(selectors.session_participants(session=session))
    context = {
        "session": session,
        "participants": participants,
        "waitlisted": sum(
            1 for r in participants if r.status == Registration.Status.WAITLISTED
        ),
        "summary": selectors.feedback_summary(session=session),
        "exercises": list(
            Exercise.objects.filter(club_sessions=session).order_by("level", "key")
        ),
        "started": session.starts_at <= timezone.now(),
        "cancelled": session.status == Session.Status.CANCELLED,
        "attendance_choices": AttendanceStatus.choices,
    }
    return render(request, "web/host/session.html", context)


@login_required
@in_my_time_zone
@api_errors_as_pages
def session_code(request: HttpRequest, session_id: int) -> HttpResponse:
    """The check-in code alone, as large as the screen allows."""
    session = access.session_get_for_host(user=request.user, session_id=session_id)
    return render(request, "web/host/session_code.html", {"session": session})


def _say_marked(request: HttpRequest, registration: Registration) -> None:
    messages.success(
        request,
        _("%(name)s: %(status)s.")
        % {
            "name": registration.user.public_name,
            "status": registration.get_status_display(),
        },
    )


@login_required
@require_POST
@api_errors_as_pages
def attendance_mark(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_get_for_host(user=request.user, session_id=session_id)
    serializer = AttendanceInputSerializer(data=request.POST)
    if not serializer.is_valid():
        messages.error(request, _("Choose a participant and attended or no-show."))
        return redirect("web:host-session", session_id=session.pk)
    try:
        registration = attendance_services.attendance_mark(
            session_id=session.pk,
            user_id=serializer.validated_data["user"],
            status=serializer.validated_data["status"],
        )
    except ApiError as error:
        if error.code == "not_found":
            raise
        messages.error(request, error.message)
    else:
        _say_marked(request, registration)
    return redirect("web:host-session", session_id=session.pk)


@login_required
@require_POST
@api_errors_as_pages
def check_in_by_code(request: HttpRequest, session_id: int) -> HttpResponse:
    """The host types the code a participant shows them."""
    session = access.session_get_for_host(user=request.user, session_id=session_id)
    code = request.POST.get("code", "").strip()[:16]
    if not code:
        messages.error(request, _("Type the participant's code."))
        return redirect("web:host-session", session_id=session.pk)
    try:
        registration = attendance_services.attendance_check_in(
            session_id=session.pk, user=request.user, code=code, as_host=True
        )
    except ApiError as error:
        messages.error(request, error.message)
    else:
        _say_marked(request, registration)
    return redirect("web:host-session", session_id=session.pk)

"""Admin for city staff: the same rules as the API, through the same services.

Clubs and sessions are added and changed by the services the API calls
(``club_create``, ``club_update``, ``session_create``, ``session_update``), and
registrations, times, capacity and status change only through services
(actions), so e-mails, the waitlist, the schedule and room access stay right.
"""

from typing import Any

from django.contrib import admin, messages
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.api.errors import ApiError
from clubs.models import Club, CoHostInvitation, Feedback, Registration, Session
from clubs.services import attendance as attendance_services
from clubs.services import clubs as club_services
from clubs.services import sessions as session_services


class _DryRun(Exception):
    """Rolls back the service call made to validate an admin form."""


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose save is a service call (``run_service``).

    The form's ``clean`` runs the service once inside a savepoint that is then
    rolled back (its after-commit e-mails and broadcasts are dropped with it),
    so the service's errors show on the form like any validation error; a
    valid form then runs it for real instead of ``Model.save``.
    """

    def run_service(self, request: HttpRequest, form, change: bool) -> models.Model:
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                if not self.errors:
                    model_admin._validate(request, self, change)
                return cleaned

        return ServiceForm

    def _validate(self, request: HttpRequest, form, change: bool) -> None:
        try:
            with transaction.atomic():
                self.run_service(request, form, change)
                raise _DryRun
        except _DryRun:
            pass
        except ApiError as error:
            if not error.fields:
                form.add_error(None, error.message)
            for name, problems in (error.fields or {}).items():
                form.add_error(name if name in form.fields else None, problems)

    def save_model(self, request, obj, form, change: bool) -> None:
        try:
            saved = self.run_service(request, form, change)
        except ApiError as error:  # the data changed since the form was checked
            self.message_user(request, error.message, messages.ERROR)
            return
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change: bool) -> None:
        # The service saved the many-to-many fields; only inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["starts_at", "ends_at", "topic", "level", "capacity", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-starts_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Club)
class ClubAdmin(ServiceAdmin):
    list_display = [
        "name",
        "city",
        "language",
        "level_min",
        "level_max",
        "weekday",
        "start_time",
        "online",
        "active",
    ]
    list_filter = ["active", "city", "language", "online", "level_min"]
    search_fields = ["name", "description", "address"]
    filter_horizontal = ["hosts"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [SessionInline]
    actions = ["generate_sessions"]
    # Fixed: the schedule's wall-clock times are read in it (as in the API).
    readonly_fields = ["time_zone"]

    def run_service(self, request: HttpRequest, form, change: bool) -> Club:
        data = {
            name: form.cleaned_data[name]
            for name in club_services.FIELDS
            if name in form.cleaned_data and (not change or name in form.changed_data)
        }
        if not change or "hosts" in form.changed_data:
            data["hosts"] = [user.pk for user in form.cleaned_data["hosts"]]
        if change:
            return club_services.club_update(
                club_id=form.instance.pk, data=data, user=request.user
            )
        return club_services.club_create(user=request.user, data=data)

    @admin.action(description=_("Generate the sessions of the next 4 weeks"))
    def generate_sessions(self, request: HttpRequest, queryset: models.QuerySet[Club]):
        created = sum(
            session_services.session_generate_for_club(club=club) for club in queryset
        )
        self.message_user(request, _("%(n)d session(s) created.") % {"n": created})


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = ["user", "status", "waitlist_position", "created_at", "cancelled_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["status", "waitlist_position", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(ServiceAdmin):
    list_display = ["__str__", "starts_at", "topic", "level", "capacity", "status"]
    list_filter = ["status", "club", "level", "club__city", "club__language"]
    search_fields = ["topic", "club__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["club"]
    filter_horizontal = ["exercises"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [RegistrationInline]
    actions = ["cancel_sessions"]
    # A new one-off session: session_create, with the club's defaults.
    create_fields = [
        "starts_at",
        "ends_at",
        "topic",
        "level",
        "capacity",
        "address",
        "online_url",
        "exercises",
    ]
    # Changed through session_update (waitlist promotion, e-mails) only.
    service_fields = ["topic", "level", "address", "online_url", "exercises"]
    locked_fields = [
        "club",
        "starts_at",
        "ends_at",
        "capacity",
        "status",
        "cancel_reason",
        "cancelled_at",
        "check_in_code",
        "sequence",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return self.locked_fields
        return ["status", "cancel_reason", "cancelled_at", "check_in_code", "sequence"]

    def run_service(self, request: HttpRequest, form, change: bool) -> Session:
        if change:
            data = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in self.service_fields
            }
            if not data:
                return form.instance
            return session_services.session_update(
                session_id=form.instance.pk, data=data
            )
        data = {
            name: form.cleaned_data[name]
            for name in self.create_fields
            if name in form.cleaned_data
        }
        return session_services.session_create(
            club=form.cleaned_data["club"], data=data
        )

    @admin.action(description=_("Cancel the selected sessions (people are told)"))
    def cancel_sessions(self, request: HttpRequest, queryset: models.QuerySet[Session]):
        done = 0
        for session in queryset:
            try:
                session_services.session_cancel(
                    session_id=session.pk,
                    reason=str(_("Cancelled by the organisers.")),
                )
                done += 1
            except ApiError as error:
                self.message_user(
                    request, f"{session}: {error.message}", messages.ERROR
                )
        self.message_user(
            request,
            ngettext("%(n)d session cancelled.", "%(n)d sessions cancelled.", done)
            % {"n": done},
        )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "waitlist_position", "created_at"]
    list_filter = ["status", "session__club"]
    search_fields = ["user__email", "user__display_name", "session__club__name"]
    list_select_related = ["user", "session__club"]
    readonly_fields = [
        "session",
        "user",
        "status",
        "waitlist_position",
        "check_in_code",
        "created_at",
        "updated_at",
        "cancelled_at",
        "confirmed_at",
        "attendance_marked_at",
    ]
    actions = ["mark_attended", "mark_no_show"]

    def has_add_permission(self, request) -> bool:
        return False

    def _mark(self, request, queryset, status: str) -> None:
        done = 0
        for registration in queryset:
            try:
                attendance_services.attendance_mark(
                    session_id=registration.session_id,
                    user_id=registration.user_id,
                    status=status,
                )
                done += 1
            except ApiError as error:
                self.message_user(
                    request, f"{registration}: {error.message}", messages.ERROR
                )
        self.message_user(request, _("%(n)d marked.") % {"n": done})

    @admin.action(description=_("Mark attended"))
    def mark_attended(self, request, queryset) -> None:
        self._mark(request, queryset, Registration.Status.ATTENDED)

    @admin.action(description=_("Mark no-show"))
    def mark_no_show(self, request, queryset) -> None:
        self._mark(request, queryset, Registration.Status.NO_SHOW)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["session", "rating", "created_at"]
    list_filter = ["rating", "session__club"]
    readonly_fields = ["session", "user", "rating", "comment", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CoHostInvitation)
class CoHostInvitationAdmin(admin.ModelAdmin):
    # Read-only: invitations are answered by the invitee in the app; staff set
    # hosts directly on the club.
    list_display = ["invitee", "club", "status", "invited_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["invitee__email", "invitee__display_name", "club__name"]
    list_select_related = ["invitee", "club", "invited_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

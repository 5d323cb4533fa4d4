from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from backend.accounts import services
from backend.accounts.models import User, VolunteerApplication
from backend.api.errors import ApiError
from privacy.services import account_delete

readonly_fields_privacy = [
    "privacy_notice_version",
    "privacy_notice_shown_at",
    "deleted_at",
]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "level", "volunteer_status", "is_staff"]
    list_filter = ["volunteer_status", "level", "is_staff", "is_active", "deleted_at"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "interface_language",
                    "native_languages",
                    "target_language",
                    "level",
                    "time_zone",
                    "volunteer_status",
                ]
            },
        ),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})
    ]
    readonly_fields = readonly_fields_privacy
    actions = ["delete_accounts_keep_messages", "delete_accounts_remove_messages"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        privacy = (
            _("Privacy"),
            {"fields": readonly_fields_privacy},
        )
        return [*fieldsets, privacy]

    def get_actions(self, request):
        # A plain delete would cascade into attempts and attendance and change
        # the funder's report: accounts are deleted through account_delete.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _delete_accounts(self, request, queryset, *, keep_messages: bool):
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "privacy/admin/confirm_account_delete.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Delete accounts"),
                    "users": queryset,
                    "keep_messages": keep_messages,
                    "action": request.POST.get("action"),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "opts": self.model._meta,
                },
            )
        deleted = 0
        for user in queryset:
            try:
                account_delete(
                    user=user, keep_messages=keep_messages, actor=request.user
                )
            except ApiError as error:
                self.message_user(request, f"{user}: {error.message}", messages.ERROR)
            else:
                deleted += 1
        if deleted:
            self.message_user(
                request,
                _("%(count)d account(s) deleted and anonymised.") % {"count": deleted},
                messages.SUCCESS,
            )
        return None

    @admin.action(description=_("Delete accounts (keep their chat messages)"))
    def delete_accounts_keep_messages(self, request, queryset):
        return self._delete_accounts(request, queryset, keep_messages=True)

    @admin.action(description=_("Delete accounts (remove their chat messages)"))
    def delete_accounts_remove_messages(self, request, queryset):
        return self._delete_accounts(request, queryset, keep_messages=False)


@admin.register(VolunteerApplication)
class VolunteerApplicationAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__display_name"]
    readonly_fields = [
        "user",
        "motivation",
        "languages",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, approve: bool) -> None:
        for application in queryset:
            try:
                services.volunteer_application_decide(
                    application_id=application.pk, staff=request.user, approve=approve
                )
            except ApiError as error:
                self.message_user(
                    request, f"{application}: {error.message}", messages.WARNING
                )

    @admin.action(description=_("Approve selected applications"))
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject selected applications"))
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, approve=False)

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from backend.accounts import services
from backend.accounts.models import User, VolunteerApplication
from backend.api.errors import ApiError


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "level", "volunteer_status", "is_staff"]
    list_filter = ["volunteer_status", "level", "is_staff", "is_active"]
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

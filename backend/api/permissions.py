from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class IsStaff(BasePermission):
    message = _("Only city staff may do this.")

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.is_staff
        )


class IsApprovedVolunteer(BasePermission):
    """Approved volunteers, and staff, who can do everything a volunteer can."""

    message = _("Only approved volunteers may do this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.is_staff or user.is_approved_volunteer)
        )

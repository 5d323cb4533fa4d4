from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import VolunteerApplication
from backend.api.errors import NotFound


def volunteer_application_list(
    *, status: str | None = None
) -> QuerySet[VolunteerApplication]:
    qs = VolunteerApplication.objects.select_related("user", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs


def volunteer_application_get_mine(*, user) -> VolunteerApplication:
    """My latest application (a rejected person may have applied again)."""
    application = (
        VolunteerApplication.objects.select_related("user")
        .filter(user=user)
        .order_by("-created_at", "-id")
        .first()
    )
    if application is None:
        raise NotFound(
            _("You have not applied to become a volunteer."), code="no_application"
        )
    return application

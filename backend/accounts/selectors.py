from django.db.models import QuerySet

from backend.accounts.models import VolunteerApplication


def volunteer_application_list(
    *, status: str | None = None
) -> QuerySet[VolunteerApplication]:
    qs = VolunteerApplication.objects.select_related("user", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User, VolunteerApplication, VolunteerStatus
from backend.accounts.names import display_name_clean
from backend.api.errors import Conflict, InvalidInput, NotFound

PROFILE_FIELDS = (
    "display_name",
    "interface_language",
    "native_languages",
    "target_language",
    "level",
    "time_zone",
)


def user_update_profile(*, user: User, data: dict) -> User:
    """Change the user's own profile fields; role fields cannot be set here.

    The display name is stored in NFC and refused when it holds control or
    format characters or poses as staff (backend/accounts/names.py).
    """
    data = dict(data)
    if "display_name" in data:
        data["display_name"], errors = display_name_clean(
            data["display_name"], is_staff=user.is_staff
        )
        if errors:
            raise InvalidInput(fields={"display_name": errors})
    changed = [name for name in PROFILE_FIELDS if name in data]
    for name in changed:
        setattr(user, name, data[name])
    if changed:
        user.save(update_fields=changed)
    return user


def user_email_mark_verified(*, user: User) -> None:
    """Record the user's address as verified (allauth's EmailAddress).

    For accounts created by the operator rather than by sign-up (demo users,
    ``createsuperuser``): with mandatory verification, allauth lets nobody log
    in before their address is verified.
    """
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def volunteer_apply(
    *, user: User, motivation: str, languages: list[str]
) -> VolunteerApplication:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.volunteer_status == VolunteerStatus.APPROVED:
        raise Conflict(
            _("You are already an approved volunteer."), code="already_volunteer"
        )
    if user.volunteer_applications.filter(
        status=VolunteerApplication.Status.PENDING
    ).exists():
        raise Conflict(
            _("Your application is already waiting for a decision."),
            code="application_pending",
        )
    application = VolunteerApplication.objects.create(
        user=user, motivation=motivation, languages=languages
    )
    user.volunteer_status = VolunteerStatus.PENDING
    user.save(update_fields=["volunteer_status"])
    return application


@transaction.atomic
def volunteer_application_decide(
    *, application_id: int, staff: User, approve: bool
) -> VolunteerApplication:
    application = (
        VolunteerApplication.objects.select_for_update()
        .select_related("user")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound()
    if application.status != VolunteerApplication.Status.PENDING:
        raise Conflict(
            _("This application has already been decided."), code="already_decided"
        )
    application.status = (
        VolunteerApplication.Status.APPROVED
        if approve
        else VolunteerApplication.Status.REJECTED
    )
    application.decided_at = timezone.now()
    application.decided_by = staff
    application.save(update_fields=["status", "decided_at", "decided_by"])
    user = application.user
    user.volunteer_status = (
        VolunteerStatus.APPROVED if approve else VolunteerStatus.REJECTED
    )
    user.save(update_fields=["volunteer_status"])
    return application

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


def city_time_zone() -> str:
    """The deployment's time zone (TIME_ZONE): where a new account and a new
    club keep their times until told otherwise. Not Riga's for every city."""
    return settings.TIME_ZONE


class Level(models.TextChoices):
    """CEFR levels, shared by exercises, clubs and profiles."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class InterfaceLanguage(models.TextChoices):
    LATVIAN = "lv", _("Latvian")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")


class VolunteerStatus(models.TextChoices):
    NONE = "none", _("None")
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        user = self._create_user(email, password, **extra)
        # The operator vouches for the address (``createsuperuser``), so staff
        # can log in under mandatory e-mail verification.
        from backend.accounts.services import user_email_mark_verified

        user_email_mark_verified(user=user)
        return user


class User(AbstractUser):
    """A person using Runa; the e-mail address is the login."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)

    display_name = models.CharField(max_length=80, blank=True)
    interface_language = models.CharField(
        max_length=2,
        choices=InterfaceLanguage.choices,
        default=InterfaceLanguage.ENGLISH,
    )
    native_languages = models.JSONField(default=list, blank=True)
    target_language = models.CharField(max_length=2, default="lv")
    level = models.CharField(max_length=2, choices=Level.choices, blank=True)
    volunteer_status = models.CharField(
        max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.NONE
    )
    time_zone = models.CharField(max_length=64, default=city_time_zone)
    # Which version of the privacy notice (privacy.notice.NOTICE_VERSION) the
    # person was shown at sign-up, and when: the record that they were informed.
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    privacy_notice_shown_at = models.DateTimeField(null=True, blank=True)
    # Set when the account is deleted (privacy.services.account_delete): the row
    # stays, emptied of everything personal, so the anonymous history it still
    # holds together (attempts, attendance) keeps the funder's figures intact.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_approved_volunteer(self) -> bool:
        return self.volunteer_status == VolunteerStatus.APPROVED

    @property
    def zone(self) -> ZoneInfo:
        """The user's time zone; the city's when the stored name is unusable."""
        try:
            return ZoneInfo(self.time_zone)
        except (KeyError, ValueError, TypeError):  # ZoneInfoNotFoundError is a KeyError
            return ZoneInfo(settings.TIME_ZONE)

    @property
    def public_name(self) -> str:
        """The name other members see; never the e-mail address."""
        return public_name_of(
            user_id=self.pk, display_name=self.display_name, deleted_at=self.deleted_at
        )


def public_name_of(*, user_id: int, display_name: str, deleted_at) -> str:
    """``User.public_name`` from the three columns it needs (rows read with
    ``values()``, without building User instances). ``realtime.rendered``
    says the same in SQL for replays; a test holds the two together."""
    if deleted_at is not None:
        return _("Deleted user")
    return display_name or _("Member %(id)s") % {"id": user_id}


class VolunteerApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="volunteer_applications"
    )
    motivation = models.TextField(max_length=2000)
    languages = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_volunteer_application_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.status})"

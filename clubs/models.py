import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Level, city_time_zone


class Club(models.Model):
    """A recurring discussion club hosted by approved volunteers."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=4000)
    language = models.CharField(max_length=2, default="lv")
    level_min = models.CharField(max_length=2, choices=Level.choices)
    level_max = models.CharField(max_length=2, choices=Level.choices)
    city = models.SlugField(max_length=60, default="riga")
    address = models.CharField(max_length=255, blank=True)
    online = models.BooleanField(default=False)
    online_url = models.URLField(blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hosted_clubs"
    )
    weekday = models.PositiveSmallIntegerField(help_text=_("0 = Monday"))
    start_time = models.TimeField(help_text=_("Local time in the club's time zone"))
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    capacity = models.PositiveIntegerField(default=12)
    time_zone = models.CharField(max_length=64, default=city_time_zone)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="club_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="club_weekday_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="club_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(level_min__lte=F("level_max")),
                name="club_level_range_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CoHostInvitation(models.Model):
    """A host (or staff) asks an approved volunteer to co-host a club; they
    host only once they accept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    club = models.ForeignKey(
        Club, on_delete=models.CASCADE, related_name="cohost_invitations"
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohost_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["club", "invitee"],
                condition=Q(status="pending"),
                name="one_pending_cohost_invitation_per_club_and_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitee} → {self.club} ({self.status})"


def new_check_in_code() -> str:
    # Short enough to read aloud, unambiguous characters only.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class Session(models.Model):
    """One meeting of a club; generated from the schedule, editable on its own."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    topic = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=2, choices=Level.choices)
    capacity = models.PositiveIntegerField()
    address = models.CharField(max_length=255, blank=True)
    online_url = models.URLField(blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    cancel_reason = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The code the host shows in the room: participants enter it to check in.
    check_in_code = models.CharField(max_length=8, default=new_check_in_code)
    # iCalendar SEQUENCE: bumped whenever time, place or status change, so
    # calendar apps replace their copy of the event.
    sequence = models.PositiveIntegerField(default=0)
    exercises = models.ManyToManyField(
        "exercises.Exercise", blank=True, related_name="club_sessions"
    )
    # The Monday (in the club's time zone) of the week whose meeting this is,
    # for sessions made from the weekly schedule; empty for one-off sessions.
    # A schedule change moves the session within this week.
    series_week = models.DateField(null=True, blank=True, editable=False)
    # The host set this session's time by hand: schedule changes leave it.
    moved_by_hand = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="session_capacity_positive"
            ),
            # Schedule generation is idempotent: one session per club and start.
            models.UniqueConstraint(
                fields=["club", "starts_at"], name="one_session_per_club_start"
            ),
            # The schedule makes one session a week, even when runs overlap.
            models.UniqueConstraint(
                fields=["club", "series_week"],
                condition=Q(series_week__isnull=False),
                name="one_scheduled_session_per_club_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.club} {self.starts_at:%Y-%m-%d %H:%M}"


class AttendanceStatus(models.TextChoices):
    """What a host may mark: a subset of Registration.Status."""

    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    check_in_code = models.CharField(max_length=8, default=new_check_in_code)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One live registration per person and session; cancelled ones stay
            # as history and do not block signing up again.
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_user_session",
            ),
            # The host types a participant's code: it must name one person.
            models.UniqueConstraint(
                fields=["session", "check_in_code"],
                name="unique_check_in_code_per_session",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="waitlist_position_only_when_waitlisted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session} ({self.status})"


# Registrations that hold a place in the session.
PLACE_HOLDING = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)


class Feedback(models.Model):
    """What a participant who attended thought of a session (one per person)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="feedback"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_feedback_per_user_session"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.session}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret behind a user's personal calendar feed URL.

    Calendar apps cannot send an auth header, so the token in the URL is the
    credential; resetting it replaces the token and the old URL stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)
    reset_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class Reminder(models.Model):
    """A reminder e-mail claimed (and then sent) for one registration.

    The unique (registration, kind) row is the claim: of two concurrent
    ``send_reminders`` runs only one can insert it, so nobody is told twice.
    """

    class Kind(models.TextChoices):
        DAY_BEFORE = "24h", _("24 hours before")
        HOUR_BEFORE = "1h", _("1 hour before")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=3, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"], name="one_reminder_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.registration}"

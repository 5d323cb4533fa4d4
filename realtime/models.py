from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clubs.models import Session

BODY_MAX_LENGTH = 2000
REPORT_REASON_MAX_LENGTH = 500


class Room(models.Model):
    """A session's chat room; created on first use. Its id is the session id.

    ``last_seq`` is the per-room counter that ``message_send`` increments under
    a row lock, so message numbers have no gaps and no duplicates.
    """

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="room"
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Room {self.pk}"


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="chat_messages",
    )
    client_msg_id = models.UUIDField()
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A deleted message stays as a tombstone: its seq never disappears from
    # history, its body does.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="message_seq_unique"),
            # A retried send (same client_msg_id) must never store a second copy.
            models.UniqueConstraint(
                fields=["room", "author", "client_msg_id"],
                name="message_client_msg_id_unique",
            ),
            models.CheckConstraint(condition=Q(seq__gt=0), name="message_seq_positive"),
        ]
        indexes = [
            # The rooms list subtracts others' deleted messages after a read
            # marker from the seq difference: only tombstones are indexed.
            models.Index(
                fields=["room", "seq"],
                condition=Q(deleted_at__isnull=False),
                name="message_deleted_seq_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in room {self.room_id}"


class Correction(models.Model):
    """A corrected version of someone's sentence, with its word-level diff."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="corrections"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    diff = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Correction of {self.message}"


class MessageReport(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=REPORT_REASON_MAX_LENGTH)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Reporting the same message twice is one report.
            models.UniqueConstraint(
                fields=["message", "reporter"], name="one_report_per_message_reporter"
            )
        ]

    def __str__(self) -> str:
        return f"Report of {self.message} ({self.status})"


class Mute(models.Model):
    """A member silenced in one room until ``until`` (one row per member, reused)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="one_mute_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} muted in {self.room_id} until {self.until:%H:%M}"


class ReadMarker(models.Model):
    """How far a member has read a room: the basis of the unread count."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    last_read_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["room", "user"], name="one_marker_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.room_id} to {self.last_read_seq}"

from django.contrib import admin
from django.utils import timezone

from clubs.selectors import SessionRole
from realtime import services
from realtime.models import Message, MessageReport, Mute, Room


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    """View only. A room comes with its session on first use and goes with
    it. Here a changed ``last_seq`` would hand out message numbers already
    taken, and a deletion would drop a history under open sockets without a
    word to them; staff moderate messages and mutes instead (below)."""

    list_display = ["session", "last_seq", "created_at"]
    fields = ["session", "last_seq", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Staff moderate messages through the same services as the rooms, so open
    rooms hear of an edit or a deletion at once. Deleting leaves a tombstone
    (the seq stays in history); messages are only written from the rooms."""

    list_display = ["room", "seq", "author", "body", "created_at", "deleted_at"]
    list_filter = ["deleted_at"]
    search_fields = ["body"]
    list_select_related = ["author"]
    fields = [
        "room",
        "seq",
        "author",
        "body",
        "reply_to",
        "created_at",
        "deleted_at",
        "deleted_by",
    ]
    readonly_fields = [name for name in fields if name != "body"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.deleted_at is not None:
            return self.fields
        return self.readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change and "body" in form.changed_data:
            services.message_edit(message_id=obj.pk, user=request.user, body=obj.body)

    def delete_model(self, request, obj) -> None:
        services.message_delete(
            room_id=obj.room_id,
            message_id=obj.pk,
            user=request.user,
            role=SessionRole.STAFF,
        )

    def delete_queryset(self, request, queryset) -> None:
        for message in queryset:
            self.delete_model(request, message)


@admin.register(MessageReport)
class MessageReportAdmin(admin.ModelAdmin):
    list_display = ["message", "reporter", "reason", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["message", "reporter"]
    list_select_related = ["message", "reporter"]
    actions = ["resolve"]

    @admin.action(description="Mark selected reports resolved")
    def resolve(self, request, queryset):
        queryset.filter(status=MessageReport.Status.OPEN).update(
            status=MessageReport.Status.RESOLVED, resolved_at=timezone.now()
        )


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    """Mutes are made in the rooms (hosts and staff, ``member_mute``). Here
    staff see them and lift them through ``mute_lift``, so the open room hears
    at once that the member may write again."""

    list_display = ["room", "user", "until", "muted_by"]
    list_select_related = ["user", "muted_by"]
    fields = ["room", "user", "until", "muted_by"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        services.mute_lift(room_id=obj.room_id, user_id=obj.user_id, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for mute in queryset:
            self.delete_model(request, mute)

from django.contrib import admin
from django.utils import timezone

from realtime.models import Message, MessageReport, Mute, Room


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["session", "last_seq", "created_at"]
    raw_id_fields = ["session"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["room", "seq", "author", "body", "created_at", "deleted_at"]
    list_filter = ["deleted_at"]
    search_fields = ["body"]
    raw_id_fields = ["room", "author", "reply_to", "deleted_by"]
    list_select_related = ["author"]


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
    list_display = ["room", "user", "until", "muted_by"]
    raw_id_fields = ["room", "user", "muted_by"]

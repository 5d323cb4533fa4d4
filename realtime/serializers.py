"""REST shapes. Message shapes mirror ``realtime.payloads`` (the WebSocket
renders them without DRF for speed); a test keeps the two identical."""

from rest_framework import serializers

from backend.api.timefmt import UtcDateTimeField
from realtime.models import MessageReport

SEQ_MAX = 2**62  # far beyond any room; keeps huge numbers out of SQL


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.IntegerField()
    seq = serializers.IntegerField()
    author_id = serializers.IntegerField(allow_null=True)
    author_name = serializers.CharField()
    body = serializers.CharField()
    diff = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text='Runs of {"op": "equal"|"delete"|"insert", "text": "..."}.',
    )
    created_at = UtcDateTimeField()


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room_id = serializers.IntegerField()
    seq = serializers.IntegerField()
    author_id = serializers.IntegerField(allow_null=True)
    author_name = serializers.CharField()
    client_msg_id = serializers.UUIDField()
    body = serializers.CharField(help_text="Empty when deleted.")
    reply_to = serializers.IntegerField(allow_null=True, help_text="A message id.")
    created_at = UtcDateTimeField()
    deleted = serializers.BooleanField()
    corrections = CorrectionSerializer(many=True)


class HistoryQuerySerializer(serializers.Serializer):
    after_seq = serializers.IntegerField(required=False, min_value=0, max_value=SEQ_MAX)
    before_seq = serializers.IntegerField(
        required=False, min_value=1, max_value=SEQ_MAX
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=100, default=50
    )


class HistorySerializer(serializers.Serializer):
    results = MessageSerializer(many=True)
    has_more = serializers.BooleanField(
        help_text="More messages exist in the direction of this page."
    )
    last_seq = serializers.IntegerField(help_text="The room's newest seq.")


class MessagePreviewSerializer(serializers.Serializer):
    """A room's last message (``realtime.room_states.MessagePreview``)."""

    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    author_id = serializers.IntegerField(allow_null=True)
    author_name = serializers.CharField()
    body = serializers.CharField(help_text="Empty when deleted.")
    created_at = UtcDateTimeField()
    deleted = serializers.BooleanField()


class RoomClubSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RoomSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The room id: the session id.")
    club = RoomClubSerializer()
    topic = serializers.CharField()
    starts_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()
    status = serializers.CharField()
    last_seq = serializers.IntegerField(source="room_state.last_seq")
    unread_count = serializers.IntegerField(source="room_state.unread_count")
    last_message = MessagePreviewSerializer(
        source="room_state.last_message", allow_null=True
    )


class ReportQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=MessageReport.Status.choices, required=False
    )


class ReportUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(source="public_name")


class ReportedMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room_id = serializers.IntegerField()
    seq = serializers.IntegerField()
    author = ReportUserSerializer(allow_null=True)
    body = serializers.CharField(help_text="The stored text, even if deleted.")
    created_at = UtcDateTimeField()
    deleted = serializers.SerializerMethodField()

    def get_deleted(self, message) -> bool:
        return message.deleted_at is not None


class MessageReportSerializer(serializers.ModelSerializer):
    reporter = ReportUserSerializer()
    message = ReportedMessageSerializer()

    class Meta:
        model = MessageReport
        fields = ["id", "status", "reason", "created_at", "reporter", "message"]

"""Sign-up, participants, attendance, check-in, feedback, calendars."""

from rest_framework import serializers

from backend.api.timefmt import UtcDateTimeField
from clubs.models import AttendanceStatus, Feedback, Registration
from clubs.serializers.clubs import PersonSerializer
from clubs.serializers.fields import IdField


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(min_length=1, max_length=500)


class RegistrationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Registration
        fields = ["status", "waitlist_position"]


class ParticipantSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    level = serializers.CharField(source="user.level", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "user",
            "level",
            "status",
            "waitlist_position",
            "created_at",
            "attendance_marked_at",
        ]


class ParticipantFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Registration.Status.choices, required=False
    )


class AttendanceInputSerializer(serializers.Serializer):
    user = IdField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class CheckInInputSerializer(serializers.Serializer):
    code = serializers.CharField(
        min_length=1,
        max_length=16,
        help_text="Hosts: the participant's code. Participants: the session's code "
        "the host shows.",
    )


class FeedbackInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, allow_blank=True, default="")


class FeedbackOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["rating", "comment", "created_at", "updated_at"]


class FeedbackCommentSerializer(serializers.Serializer):
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = UtcDateTimeField()


class FeedbackSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    comments = FeedbackCommentSerializer(many=True)


class CalendarUrlSerializer(serializers.Serializer):
    url = serializers.URLField()

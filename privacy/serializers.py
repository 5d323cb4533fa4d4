"""The export document's shape for OpenAPI.

``privacy.export`` builds the document as plain dicts (fast for tens of
thousands of rows); these serializers only describe it, and
tests/privacy/test_export.py keeps the two identical, key by key.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

S = serializers


@extend_schema_field(OpenApiTypes.ANY)
class AnyJsonField(S.JSONField):
    pass


class ExportEmailAddressSerializer(S.Serializer):
    email = S.EmailField()
    verified = S.BooleanField()
    primary = S.BooleanField()


class ExportNamedClubSerializer(S.Serializer):
    id = S.IntegerField()
    name = S.CharField()


class ExportProfileSerializer(S.Serializer):
    id = S.IntegerField()
    email = S.EmailField()
    email_addresses = ExportEmailAddressSerializer(many=True)
    display_name = S.CharField()
    interface_language = S.CharField()
    native_languages = S.ListField(child=S.CharField())
    target_language = S.CharField()
    level = S.CharField()
    time_zone = S.CharField()
    volunteer_status = S.CharField()
    is_staff = S.BooleanField()
    date_joined = S.DateTimeField()
    last_login = S.DateTimeField(allow_null=True)
    privacy_notice_version = S.CharField()
    privacy_notice_shown_at = S.DateTimeField(allow_null=True)
    hosted_clubs = ExportNamedClubSerializer(many=True)


class ExportVolunteerApplicationSerializer(S.Serializer):
    id = S.IntegerField()
    motivation = S.CharField()
    languages = S.ListField(child=S.CharField())
    status = S.CharField()
    created_at = S.DateTimeField()
    decided_at = S.DateTimeField(allow_null=True)


class ExportAttemptSerializer(S.Serializer):
    id = S.IntegerField()
    exercise = S.CharField(help_text="The exercise's key.")
    answer = AnyJsonField()
    verdict = S.CharField()
    feedback = AnyJsonField()
    client_attempt_id = S.UUIDField()
    answered_at = S.DateTimeField()
    duration_ms = S.IntegerField(allow_null=True)
    created_at = S.DateTimeField()


class ExportReviewCardSerializer(S.Serializer):
    id = S.IntegerField()
    exercise = S.CharField(help_text="The exercise's key.")
    source = S.CharField()
    state = AnyJsonField(help_text="The FSRS card state.")
    due_at = S.DateTimeField()
    last_review_at = S.DateTimeField(allow_null=True)
    reviews = S.IntegerField()
    correct = S.IntegerField(help_text="Answers to this exercise graded correct.")
    practice_ms = S.IntegerField(help_text="Time spent answering this exercise.")
    created_at = S.DateTimeField()


class ExportPracticeDaySerializer(S.Serializer):
    id = S.IntegerField()
    language = S.CharField()
    day = S.DateField(help_text="A day I practised, in my time zone then.")


class ExportPlacementTestSerializer(S.Serializer):
    id = S.IntegerField()
    language = S.CharField()
    status = S.CharField()
    current_level = S.CharField()
    items = AnyJsonField()
    result_level = S.CharField()
    created_at = S.DateTimeField()
    finished_at = S.DateTimeField(allow_null=True)


class ExportDisputeSerializer(S.Serializer):
    id = S.IntegerField()
    attempt_id = S.IntegerField()
    comment = S.CharField()
    status = S.CharField()
    answer_added = S.BooleanField()
    decided_by_name = S.CharField()
    created_at = S.DateTimeField()
    decided_at = S.DateTimeField(allow_null=True)


class ExportSessionSummarySerializer(S.Serializer):
    id = S.IntegerField()
    club_name = S.CharField()
    topic = S.CharField()
    starts_at = S.DateTimeField()
    ends_at = S.DateTimeField()
    status = S.CharField()


class ExportRegistrationSerializer(S.Serializer):
    id = S.IntegerField()
    session = ExportSessionSummarySerializer()
    status = S.CharField()
    waitlist_position = S.IntegerField(allow_null=True)
    check_in_code = S.CharField()
    created_at = S.DateTimeField()
    confirmed_at = S.DateTimeField(allow_null=True)
    cancelled_at = S.DateTimeField(allow_null=True)
    attendance_marked_at = S.DateTimeField(allow_null=True)


class ExportReminderSerializer(S.Serializer):
    id = S.IntegerField()
    registration_id = S.IntegerField()
    kind = S.CharField()
    sent_at = S.DateTimeField()


class ExportFeedbackSerializer(S.Serializer):
    id = S.IntegerField()
    session = ExportSessionSummarySerializer()
    rating = S.IntegerField()
    comment = S.CharField()
    created_at = S.DateTimeField()
    updated_at = S.DateTimeField()


class ExportCalendarFeedSerializer(S.Serializer):
    id = S.IntegerField()
    created_at = S.DateTimeField()
    reset_at = S.DateTimeField(allow_null=True)


class ExportCoHostInvitationSerializer(S.Serializer):
    id = S.IntegerField()
    club = ExportNamedClubSerializer()
    invited_by_name = S.CharField()
    status = S.CharField()
    created_at = S.DateTimeField()
    decided_at = S.DateTimeField(allow_null=True)


class ExportCoHostInvitationSentSerializer(S.Serializer):
    id = S.IntegerField()
    club = ExportNamedClubSerializer()
    invitee_name = S.CharField()
    status = S.CharField()
    created_at = S.DateTimeField()
    decided_at = S.DateTimeField(allow_null=True)


class ExportMessageSerializer(S.Serializer):
    id = S.IntegerField()
    room_id = S.IntegerField()
    seq = S.IntegerField()
    body = S.CharField()
    reply_to = S.IntegerField(allow_null=True)
    created_at = S.DateTimeField()
    deleted_at = S.DateTimeField(allow_null=True)


class ExportCorrectionMadeSerializer(S.Serializer):
    id = S.IntegerField()
    message_id = S.IntegerField()
    room_id = S.IntegerField()
    message_author_name = S.CharField()
    body = S.CharField()
    diff = AnyJsonField()
    created_at = S.DateTimeField()


class ExportCorrectionReceivedSerializer(S.Serializer):
    id = S.IntegerField()
    message_id = S.IntegerField()
    room_id = S.IntegerField()
    corrector_name = S.CharField()
    body = S.CharField()
    diff = AnyJsonField()
    created_at = S.DateTimeField()


class ExportReportFiledSerializer(S.Serializer):
    id = S.IntegerField()
    message_id = S.IntegerField()
    room_id = S.IntegerField()
    reason = S.CharField()
    status = S.CharField()
    created_at = S.DateTimeField()
    resolved_at = S.DateTimeField(allow_null=True)


class ExportMuteSerializer(S.Serializer):
    id = S.IntegerField()
    room_id = S.IntegerField()
    muted_by_name = S.CharField()
    until = S.DateTimeField()
    created_at = S.DateTimeField()


class ExportMuteImposedSerializer(S.Serializer):
    id = S.IntegerField()
    room_id = S.IntegerField()
    member_name = S.CharField()
    until = S.DateTimeField()
    created_at = S.DateTimeField()


class ExportReadMarkerSerializer(S.Serializer):
    id = S.IntegerField()
    room_id = S.IntegerField()
    last_read_seq = S.IntegerField()


class ExportSerializer(S.Serializer):
    format = S.CharField(help_text='Always "runa-export".')
    version = S.IntegerField()
    exported_at = S.DateTimeField()
    profile = ExportProfileSerializer()
    volunteer_applications = ExportVolunteerApplicationSerializer(many=True)
    attempts = ExportAttemptSerializer(many=True)
    review_cards = ExportReviewCardSerializer(many=True)
    practice_days = ExportPracticeDaySerializer(many=True)
    placement_tests = ExportPlacementTestSerializer(many=True)
    disputes = ExportDisputeSerializer(many=True)
    registrations = ExportRegistrationSerializer(many=True)
    reminders = ExportReminderSerializer(many=True)
    feedback = ExportFeedbackSerializer(many=True)
    calendar_feed = ExportCalendarFeedSerializer(allow_null=True)
    cohost_invitations = ExportCoHostInvitationSerializer(many=True)
    cohost_invitations_sent = ExportCoHostInvitationSentSerializer(many=True)
    messages = ExportMessageSerializer(many=True)
    corrections_made = ExportCorrectionMadeSerializer(many=True)
    corrections_received = ExportCorrectionReceivedSerializer(many=True)
    reports_filed = ExportReportFiledSerializer(many=True)
    mutes = ExportMuteSerializer(many=True)
    mutes_imposed = ExportMuteImposedSerializer(many=True)
    read_markers = ExportReadMarkerSerializer(many=True)

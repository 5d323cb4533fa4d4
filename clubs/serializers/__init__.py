"""Input and output shapes of the clubs API (field names are a mobile contract)."""

from clubs.serializers.clubs import (
    ClubFilterSerializer,
    ClubInputSerializer,
    ClubOutputSerializer,
    PersonSerializer,
)
from clubs.serializers.cohosts import (
    CoHostInvitationOutputSerializer,
    CoHostInviteInputSerializer,
)
from clubs.serializers.participation import (
    AttendanceInputSerializer,
    CalendarUrlSerializer,
    CancelInputSerializer,
    CheckInInputSerializer,
    FeedbackInputSerializer,
    FeedbackOutputSerializer,
    FeedbackSummarySerializer,
    ParticipantFilterSerializer,
    ParticipantSerializer,
    RegistrationOutputSerializer,
)
from clubs.serializers.reports import ReportFilterSerializer, ReportSerializer
from clubs.serializers.sessions import (
    SessionFilterSerializer,
    SessionInputSerializer,
    SessionOutputSerializer,
)

__all__ = [
    "AttendanceInputSerializer",
    "CalendarUrlSerializer",
    "CancelInputSerializer",
    "CheckInInputSerializer",
    "ClubFilterSerializer",
    "ClubInputSerializer",
    "ClubOutputSerializer",
    "CoHostInvitationOutputSerializer",
    "CoHostInviteInputSerializer",
    "FeedbackInputSerializer",
    "FeedbackOutputSerializer",
    "FeedbackSummarySerializer",
    "ParticipantFilterSerializer",
    "ParticipantSerializer",
    "PersonSerializer",
    "RegistrationOutputSerializer",
    "ReportFilterSerializer",
    "ReportSerializer",
    "SessionFilterSerializer",
    "SessionInputSerializer",
    "SessionOutputSerializer",
]

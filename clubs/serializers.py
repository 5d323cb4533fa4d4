"""Input and output shapes of the clubs API (field names are a mobile contract)."""

import re
from datetime import date, time
from typing import Any

from django.core.validators import RegexValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.accounts.models import Level
from backend.api.serializers import LanguageCodeField
from clubs.models import AttendanceStatus, Club, Feedback, Registration, Session
from clubs.selectors import session_can_see_online_url

MAX_ID = 10**18
MAX_CAPACITY = 500
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def IdField(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class LocalTimeField(serializers.CharField):
    """A local wall-clock time as ``HH:MM`` (24-hour)."""

    default_error_messages = {"invalid_time": _("Use a 24-hour time as HH:MM.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault(
            "validators",
            [RegexValidator(HHMM, message=_("Use a 24-hour time as HH:MM."))],
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> time:
        if not isinstance(data, str) or not HHMM.match(data):
            self.fail("invalid_time")
        value = super().to_internal_value(data)
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))

    def run_validators(self, value: Any) -> None:
        # The regex has been applied to the text; ``value`` is a time now.
        return None

    def to_representation(self, value: time) -> str:
        return value.strftime("%H:%M")


class WebUrlField(serializers.URLField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, URLValidator)
        ] + [URLValidator(schemes=["https", "http"])]


class CitySlugField(serializers.SlugField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(data).lower()


# --- Clubs --------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(source="public_name", read_only=True)


class ClubOutputSerializer(serializers.ModelSerializer):
    hosts = PersonSerializer(many=True, read_only=True)
    start_time = LocalTimeField(read_only=True)
    online_url = serializers.SerializerMethodField(
        help_text="The club's default online link: hosts and staff only (else null)."
    )

    class Meta:
        model = Club
        fields = [
            "id",
            "name",
            "description",
            "language",
            "level_min",
            "level_max",
            "city",
            "address",
            "online",
            "online_url",
            "weekday",
            "start_time",
            "duration_minutes",
            "capacity",
            "time_zone",
            "hosts",
            "active",
        ]

    def get_online_url(self, club: Club) -> str | None:
        user = self.context["request"].user
        if user.is_staff or user in club.hosts.all():
            return club.online_url
        return None


class ClubInputSerializer(serializers.Serializer):
    name = serializers.CharField(min_length=1, max_length=120)
    description = serializers.CharField(
        max_length=4000, allow_blank=True, required=False
    )
    language = LanguageCodeField()
    level_min = serializers.ChoiceField(choices=Level.choices)
    level_max = serializers.ChoiceField(choices=Level.choices)
    city = CitySlugField(required=False)
    address = serializers.CharField(max_length=255, allow_blank=True, required=False)
    online = serializers.BooleanField(required=False, default=False)
    online_url = WebUrlField(allow_blank=True, required=False)
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday")
    start_time = LocalTimeField(help_text="Local time in the club's time zone, HH:MM.")
    duration_minutes = serializers.IntegerField(
        min_value=15, max_value=720, required=False
    )
    capacity = serializers.IntegerField(
        min_value=1, max_value=MAX_CAPACITY, required=False
    )
    hosts = serializers.ListField(
        child=IdField(),
        max_length=10,
        required=False,
        help_text="User ids of the hosts (approved volunteers). On creation the "
        "creator is added; on change this replaces the list.",
    )
    active = serializers.BooleanField(required=False, default=True)


class ClubFilterSerializer(serializers.Serializer):
    language = LanguageCodeField(required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    city = CitySlugField(required=False)
    online = serializers.BooleanField(required=False, allow_null=True, default=None)
    active = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: active clubs only (all of mine with mine=true).",
    )
    mine = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Clubs I host."
    )


# --- Sessions -----------------------------------------------------------------


class MyRegistrationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    waitlist_position = serializers.IntegerField(allow_null=True)
    check_in_code = serializers.CharField(
        help_text="Show it to the host to check in (yours only)."
    )


class SessionOutputSerializer(serializers.ModelSerializer):
    club_name = serializers.CharField(source="club.name", read_only=True)
    places_left = serializers.IntegerField(read_only=True)
    online = serializers.SerializerMethodField(
        help_text="Whether the session has an online link (the link itself is "
        "only shown to confirmed participants, hosts and staff)."
    )
    online_url = serializers.SerializerMethodField()
    my_registration = serializers.SerializerMethodField()
    room_id = serializers.IntegerField(source="pk", read_only=True)
    exercises = serializers.SerializerMethodField()
    session_check_in_code = serializers.SerializerMethodField(
        help_text="Hosts and staff: the code participants type to check "
        "themselves in (null for everyone else)."
    )
    is_host = serializers.BooleanField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "club",
            "club_name",
            "starts_at",
            "ends_at",
            "topic",
            "level",
            "capacity",
            "places_left",
            "address",
            "online",
            "online_url",
            "status",
            "cancel_reason",
            "my_registration",
            "room_id",
            "exercises",
            "is_host",
            "session_check_in_code",
        ]

    def _user(self):
        return self.context["request"].user

    def get_online(self, session: Session) -> bool:
        return bool(session.online_url)

    def get_online_url(self, session: Session) -> str | None:
        if session.online_url and session_can_see_online_url(
            session=session, user=self._user()
        ):
            return session.online_url
        return None

    @extend_schema_field(MyRegistrationSerializer(allow_null=True))
    def get_my_registration(self, session: Session) -> dict | None:
        if session.my_status is None:
            return None
        return {
            "status": session.my_status,
            "waitlist_position": session.my_waitlist_position,
            "check_in_code": session.my_check_in_code,
        }

    def get_exercises(self, session: Session) -> list[int]:
        return [exercise.pk for exercise in session.exercises.all()]

    def get_session_check_in_code(self, session: Session) -> str | None:
        if self._user().is_staff or session.is_host:
            return session.check_in_code
        return None


class ExerciseIdsField(serializers.ListField):
    """Exercise ids of the session's pack (replaces the whole pack)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", IdField())
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list:
        from exercises.models import Exercise

        ids = list(dict.fromkeys(super().to_internal_value(data)))
        exercises = list(Exercise.objects.filter(pk__in=ids, is_active=True))
        if len(exercises) != len(ids):
            raise serializers.ValidationError(_("Unknown exercise."))
        return exercises


class SessionInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(
        required=False, help_text="Default: start + the club's duration."
    )
    topic = serializers.CharField(max_length=200, allow_blank=True, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    capacity = serializers.IntegerField(
        min_value=1, max_value=MAX_CAPACITY, required=False
    )
    address = serializers.CharField(max_length=255, allow_blank=True, required=False)
    online_url = WebUrlField(allow_blank=True, required=False)
    exercises = ExerciseIdsField(required=False)


class SessionFilterSerializer(serializers.Serializer):
    language = LanguageCodeField(required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    city = CitySlugField(required=False)
    online = serializers.BooleanField(required=False, allow_null=True, default=None)
    has_space = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: places left and still open for sign-up.",
    )
    club = IdField(required=False)
    status = serializers.ChoiceField(choices=Session.Status.choices, required=False)
    mine = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Sessions I signed up for or host.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # `from` is a Python keyword, so these two are added here.
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField(
            required=False,
            help_text="Sessions starting at or after (date or date-time). "
            "Default: sessions that have not ended yet.",
        )
        fields["to"] = serializers.DateTimeField(
            required=False, help_text="Sessions starting at or before."
        )
        return fields

    def validate(self, attrs: dict) -> dict:
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": [_("`to` is before `from`.")]})
        return attrs


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
    created_at = serializers.DateTimeField()


class FeedbackSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    comments = FeedbackCommentSerializer(many=True)


class CalendarUrlSerializer(serializers.Serializer):
    url = serializers.URLField()


# --- Reports ------------------------------------------------------------------


class ReportFilterSerializer(serializers.Serializer):
    club = IdField(required=False)
    format = serializers.ChoiceField(
        choices=[("json", "json"), ("csv", "csv")], required=False, default="json"
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, help_text="First day (local). Default: 12 months back."
        )
        fields["to"] = serializers.DateField(
            required=False, help_text="Last day (local, inclusive). Default: today."
        )
        return fields

    def validate(self, attrs: dict) -> dict:
        date_to = attrs.get("to") or timezone.localdate()
        date_from = attrs.get("from")
        if date_from is None:
            # The first day of the month eleven months back: twelve months.
            month = date_to.year * 12 + date_to.month - 1 - 11
            date_from = date(month // 12, month % 12 + 1, 1)
        if date_to < date_from:
            raise serializers.ValidationError({"to": [_("`to` is before `from`.")]})
        if (date_to - date_from).days > 5 * 366:
            raise serializers.ValidationError(
                {"from": [_("A report covers at most five years.")]}
            )
        attrs["from"] = date_from
        attrs["to"] = date_to
        return attrs


@extend_schema_field(OpenApiTypes.OBJECT)
class LevelCountsField(serializers.DictField):
    pass


class ReportRowSerializer(serializers.Serializer):
    club_id = serializers.IntegerField()
    club_name = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM, local time.")
    sessions_held = serializers.IntegerField()
    sessions_cancelled = serializers.IntegerField()
    registrations = serializers.IntegerField()
    cancellations = serializers.IntegerField()
    attended = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    unique_participants = serializers.IntegerField()
    participant_hours = serializers.FloatField()
    new_participants = serializers.IntegerField()
    by_level = LevelCountsField(
        allow_null=True,
        help_text='Unique participants by level; "<5" for 1-4 people; null when '
        "the club-month has fewer than 5 participants.",
    )
    by_level_suppressed = serializers.BooleanField()


class ReportSerializer(serializers.Serializer):
    rows = ReportRowSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields

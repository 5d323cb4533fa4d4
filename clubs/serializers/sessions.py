"""Sessions."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.accounts.models import Level
from backend.api.serializers import (
    BoundedDateTimeField,
    LanguageCodeField,
)
from clubs.models import Registration, Session
from clubs.selectors import session_can_see_online_url
from clubs.serializers.fields import MAX_CAPACITY, CitySlugField, IdField, WebUrlField


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
    starts_at = BoundedDateTimeField()
    ends_at = BoundedDateTimeField(
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
        fields["from"] = BoundedDateTimeField(
            required=False,
            help_text="Sessions starting at or after (date or date-time). "
            "Default: sessions that have not ended yet.",
        )
        fields["to"] = BoundedDateTimeField(
            required=False, help_text="Sessions starting at or before."
        )
        return fields

    def validate(self, attrs: dict) -> dict:
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": [_("`to` is before `from`.")]})
        return attrs

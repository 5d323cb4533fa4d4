"""Participation report."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.api.serializers import BoundedDateField
from clubs.serializers.fields import IdField


class ReportFilterSerializer(serializers.Serializer):
    club = IdField(required=False)
    format = serializers.ChoiceField(
        choices=[("json", "json"), ("csv", "csv")], required=False, default="json"
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = BoundedDateField(
            required=False, help_text="First day (local). Default: 12 months back."
        )
        fields["to"] = BoundedDateField(
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

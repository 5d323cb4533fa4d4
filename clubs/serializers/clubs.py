"""Clubs."""

from rest_framework import serializers

from backend.accounts.models import Level
from backend.api.serializers import LanguageCodeField
from clubs.models import Club
from clubs.serializers.fields import (
    MAX_CAPACITY,
    CitySlugField,
    IdField,
    LocalTimeField,
    WebUrlField,
)


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
        "creator hosts and the others are invited as co-hosts (staff: they host "
        "at once); on change this replaces the list, and only staff may add.",
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

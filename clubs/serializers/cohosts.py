"""Co-host invitations."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clubs.models import CoHostInvitation
from clubs.serializers.clubs import PersonSerializer
from clubs.serializers.fields import IdField


class CoHostInviteInputSerializer(serializers.Serializer):
    user = IdField(required=False, help_text="The approved volunteer's user id.")
    email = serializers.EmailField(
        required=False, max_length=254, help_text="... or their e-mail address."
    )

    def validate(self, attrs: dict) -> dict:
        if ("user" in attrs) == ("email" in attrs):
            raise serializers.ValidationError(
                {"user": [_("Give either `user` or `email`.")]}
            )
        return attrs


class ClubRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CoHostInvitationOutputSerializer(serializers.ModelSerializer):
    club = ClubRefSerializer(read_only=True)
    invitee = PersonSerializer(read_only=True)
    invited_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CoHostInvitation
        fields = ["id", "club", "invitee", "invited_by", "status", "created_at",
                  "decided_at"]  # fmt: skip

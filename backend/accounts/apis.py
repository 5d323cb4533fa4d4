from types import SimpleNamespace

from allauth.account.internal.flows.reauthentication import (
    did_recently_reauthenticate,
)
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts import selectors, services
from backend.accounts.models import (
    InterfaceLanguage,
    Level,
    User,
    VolunteerApplication,
)
from backend.api.errors import ApiError, Forbidden
from backend.api.pagination import PaginatedApiMixin, paginated_response
from backend.api.permissions import IsStaff
from backend.api.schema import ErrorSerializer
from backend.api.serializers import LanguageCodeField
from backend.api.throttling import ScopedThrottle
from privacy.services import account_delete


class MeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "interface_language",
            "native_languages",
            "target_language",
            "level",
            "time_zone",
            "volunteer_status",
            "is_staff",
        ]


class MeInputSerializer(serializers.Serializer):
    display_name = serializers.CharField(
        max_length=80, allow_blank=True, required=False
    )
    interface_language = serializers.ChoiceField(
        choices=InterfaceLanguage.choices, required=False
    )
    native_languages = serializers.ListField(
        child=LanguageCodeField(), max_length=10, required=False
    )
    target_language = LanguageCodeField(required=False)
    level = serializers.ChoiceField(choices=[("", ""), *Level.choices], required=False)
    time_zone = serializers.CharField(max_length=64, required=False)

    def validate_time_zone(self, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise serializers.ValidationError(_("Unknown time zone.")) from None
        return value


class MeDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        trim_whitespace=False,
        max_length=4096,
        help_text="The account's password. Not needed within 5 minutes of a "
        "re-authentication through allauth (`/_allauth/.../auth/reauthenticate`).",
    )
    keep_messages = serializers.BooleanField(
        help_text="true: my chat messages stay in their rooms, signed "
        '"Deleted user"; false: their texts are removed too.'
    )


def _session_of(request: Request) -> SessionBase:
    # Apps authenticate with a session token: DRF's ``auth`` is its session.
    if isinstance(request.auth, SessionBase):
        return request.auth
    return request.session


def _confirm_identity(request: Request, password: str | None) -> None:
    """The password, or a re-authentication in allauth in the last minutes."""
    user = request.user
    if password is not None:
        if not user.check_password(password):
            message = _("This password is not right.")
            raise ApiError(
                message, code="wrong_password", fields={"password": [str(message)]}
            )
        return
    shim = SimpleNamespace(user=user, session=_session_of(request))
    if not did_recently_reauthenticate(shim):
        raise Forbidden(
            _("Confirm your password to delete your account."),
            code="reauthentication_required",
        )


class MeApi(APIView):
    throttle_scope = "account_delete"

    @property
    def error_statuses(self) -> tuple[int, ...]:
        return (400, 409) if self.request.method == "DELETE" else ()

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method == "DELETE":
            throttles.append(ScopedThrottle())
        return throttles

    @extend_schema(responses=MeOutputSerializer, summary="My profile")
    def get(self, request: Request) -> Response:
        return Response(MeOutputSerializer(request.user).data)

    @extend_schema(
        request=MeInputSerializer,
        responses=MeOutputSerializer,
        summary="Change my profile (role fields are read-only)",
    )
    def patch(self, request: Request) -> Response:
        serializer = MeInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(
            user=request.user, data=serializer.validated_data
        )
        return Response(MeOutputSerializer(user).data)

    @extend_schema(
        request=MeDeleteInputSerializer,
        responses={204: None},
        summary="Delete my account (confirm with the password)",
        description="Deletes the account for good; see docs/api.md, "
        '"Deleting my account". 409 `club_needs_host` while you are the only '
        "host of a club with sessions ahead.",
    )
    def delete(self, request: Request) -> Response:
        serializer = MeDeleteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _confirm_identity(request, data.get("password"))
        session = _session_of(request)
        account_delete(user=request.user, keep_messages=data["keep_messages"])
        if session is request.session:
            logout(request._request)
        else:
            session.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class VolunteerApplicationInputSerializer(serializers.Serializer):
    motivation = serializers.CharField(min_length=10, max_length=2000)
    languages = serializers.ListField(
        child=LanguageCodeField(), min_length=1, max_length=10
    )


class VolunteerApplicationOutputSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = VolunteerApplication
        fields = [
            "id",
            "user",
            "motivation",
            "languages",
            "status",
            "created_at",
            "decided_at",
        ]

    def get_user(self, obj: VolunteerApplication) -> dict:
        return {
            "id": obj.user_id,
            "email": obj.user.email,
            "display_name": obj.user.display_name,
        }


class VolunteerApplyApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        responses={
            200: VolunteerApplicationOutputSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description="I never applied (code `no_application`)."
            ),
        },
        summary="My volunteer application (the latest) and its status",
    )
    def get(self, request: Request) -> Response:
        application = selectors.volunteer_application_get_mine(user=request.user)
        return Response(VolunteerApplicationOutputSerializer(application).data)

    @extend_schema(
        request=VolunteerApplicationInputSerializer,
        responses={201: VolunteerApplicationOutputSerializer},
        summary="Apply to become a volunteer host",
    )
    def post(self, request: Request) -> Response:
        serializer = VolunteerApplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.volunteer_apply(
            user=request.user, **serializer.validated_data
        )
        return Response(
            VolunteerApplicationOutputSerializer(application).data,
            status=status.HTTP_201_CREATED,
        )


class VolunteerApplicationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=VolunteerApplication.Status.choices, required=False
    )


class VolunteerApplicationListApi(PaginatedApiMixin, APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", enum=VolunteerApplication.Status.values, required=False
            )
        ],
        responses=VolunteerApplicationOutputSerializer(many=True),
        summary="Volunteer applications (staff)",
    )
    def get(self, request: Request) -> Response:
        filters = VolunteerApplicationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = selectors.volunteer_application_list(**filters.validated_data)
        return paginated_response(
            request=request,
            queryset=qs,
            serializer_class=VolunteerApplicationOutputSerializer,
            view=self,
        )


class VolunteerApplicationDecideApi(APIView):
    permission_classes = [IsStaff]
    approve = True
    error_statuses = (409,)

    @extend_schema(request=None, responses=VolunteerApplicationOutputSerializer)
    def post(self, request: Request, application_id: int) -> Response:
        application = services.volunteer_application_decide(
            application_id=application_id, staff=request.user, approve=self.approve
        )
        return Response(VolunteerApplicationOutputSerializer(application).data)

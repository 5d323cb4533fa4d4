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
from backend.api.pagination import PaginatedApiMixin, paginated_response
from backend.api.permissions import IsStaff
from backend.api.schema import ErrorSerializer
from backend.api.serializers import LanguageCodeField


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


class MeApi(APIView):
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

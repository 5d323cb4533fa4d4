"""Signing up, participants, attendance, check-in and feedback."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PaginatedApiMixin, paginated_response
from clubs import access, selectors
from clubs.serializers import (
    AttendanceInputSerializer,
    CheckInInputSerializer,
    FeedbackInputSerializer,
    FeedbackOutputSerializer,
    FeedbackSummarySerializer,
    ParticipantFilterSerializer,
    ParticipantSerializer,
    RegistrationOutputSerializer,
)
from clubs.services import attendance as attendance_services
from clubs.services import registrations as registration_services


class RegistrationApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=None,
        responses={201: RegistrationOutputSerializer},
        summary="Sign up: a place if one is free, else the waitlist",
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = access.session_get(user=request.user, session_id=session_id)
        registration = registration_services.registration_create(
            session_id=session.pk, user=request.user
        )
        return Response(
            RegistrationOutputSerializer(registration).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Cancel my sign-up; the first on the waitlist moves up",
    )
    def delete(self, request: Request, session_id: int) -> Response:
        session = access.session_get(user=request.user, session_id=session_id)
        registration_services.registration_cancel(
            session_id=session.pk, user=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ParticipantListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        parameters=[ParticipantFilterSerializer],
        responses=ParticipantSerializer(many=True),
        summary="Who signed up (hosts and staff; no e-mail addresses)",
    )
    def get(self, request: Request, session_id: int) -> Response:
        session = access.session_get_for_host(user=request.user, session_id=session_id)
        filters = ParticipantFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return paginated_response(
            request=request,
            queryset=selectors.session_participants(
                session=session, **filters.validated_data
            ),
            serializer_class=ParticipantSerializer,
            view=self,
        )


class AttendanceApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=AttendanceInputSerializer,
        responses=ParticipantSerializer,
        summary="Mark a participant attended or no-show (hosts, from the start)",
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = access.session_get_for_host(user=request.user, session_id=session_id)
        serializer = AttendanceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = attendance_services.attendance_mark(
            session_id=session.pk,
            user_id=serializer.validated_data["user"],
            status=serializer.validated_data["status"],
        )
        return Response(ParticipantSerializer(registration).data)


class CheckInApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=CheckInInputSerializer,
        responses=ParticipantSerializer,
        summary="Check in with a code (host: a participant's; participant: the "
        "session's)",
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = access.session_get(user=request.user, session_id=session_id)
        serializer = CheckInInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = attendance_services.attendance_check_in(
            session_id=session.pk,
            user=request.user,
            code=serializer.validated_data["code"],
            as_host=bool(request.user.is_staff or session.is_host),
        )
        return Response(ParticipantSerializer(registration).data)


class FeedbackApi(APIView):
    @extend_schema(
        responses=FeedbackSummarySerializer,
        summary="Average rating and comments (hosts and staff; anonymous)",
    )
    def get(self, request: Request, session_id: int) -> Response:
        session = access.session_get_for_host(user=request.user, session_id=session_id)
        summary = selectors.feedback_summary(session=session)
        return Response(FeedbackSummarySerializer(summary).data)

    @extend_schema(
        request=FeedbackInputSerializer,
        responses={200: FeedbackOutputSerializer, 201: FeedbackOutputSerializer},
        summary="Leave or change my feedback (people who attended)",
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = access.session_get(user=request.user, session_id=session_id)
        serializer = FeedbackInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback, created = attendance_services.feedback_submit(
            session_id=session.pk, user=request.user, **serializer.validated_data
        )
        return Response(
            FeedbackOutputSerializer(feedback).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PaginatedApiMixin, paginated_response
from backend.api.permissions import IsApprovedVolunteer
from clubs import access, selectors
from clubs.serializers import (
    ClubFilterSerializer,
    ClubInputSerializer,
    ClubOutputSerializer,
    SessionInputSerializer,
    SessionOutputSerializer,
)
from clubs.services import clubs as club_services
from clubs.services import sessions as session_services


class ClubListApi(PaginatedApiMixin, APIView):
    def get_permissions(self):
        if self.request is not None and self.request.method == "POST":
            return [IsApprovedVolunteer()]
        return super().get_permissions()

    @extend_schema(
        parameters=[ClubFilterSerializer],
        responses=ClubOutputSerializer(many=True),
        summary="Clubs (active ones unless asked otherwise)",
    )
    def get(self, request: Request) -> Response:
        filters = ClubFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return paginated_response(
            request=request,
            queryset=selectors.club_list(
                user=request.user, filters=filters.validated_data
            ),
            serializer_class=ClubOutputSerializer,
            view=self,
            context={"request": request},
        )

    @extend_schema(
        request=ClubInputSerializer,
        responses={201: ClubOutputSerializer},
        summary="Create a club (approved volunteers; the creator hosts it)",
    )
    def post(self, request: Request) -> Response:
        serializer = ClubInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        club = club_services.club_create(
            user=request.user, data=serializer.validated_data
        )
        club = access.club_get(club_id=club.pk)
        return Response(
            ClubOutputSerializer(club, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ClubDetailApi(APIView):
    @extend_schema(responses=ClubOutputSerializer, summary="A club")
    def get(self, request: Request, club_id: int) -> Response:
        club = access.club_get(club_id=club_id)
        return Response(ClubOutputSerializer(club, context={"request": request}).data)

    @extend_schema(
        request=ClubInputSerializer(partial=True),
        responses=ClubOutputSerializer,
        summary="Change a club (its hosts and staff)",
    )
    def patch(self, request: Request, club_id: int) -> Response:
        club = access.club_get_for_host(user=request.user, club_id=club_id)
        serializer = ClubInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        club = club_services.club_update(
            club_id=club.pk, data=serializer.validated_data, user=request.user
        )
        club = access.club_get(club_id=club.pk)
        return Response(ClubOutputSerializer(club, context={"request": request}).data)


class ClubSessionCreateApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=SessionInputSerializer,
        responses={201: SessionOutputSerializer},
        summary="Add a one-off session to a club (its hosts and staff)",
    )
    def post(self, request: Request, club_id: int) -> Response:
        club = access.club_get_for_host(user=request.user, club_id=club_id)
        serializer = SessionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_services.session_create(
            club=club, data=serializer.validated_data
        )
        session = access.session_get(user=request.user, session_id=session.pk)
        return Response(
            SessionOutputSerializer(session, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PaginatedApiMixin, paginated_response
from clubs import access, selectors
from clubs.serializers import (
    CoHostInvitationOutputSerializer,
    CoHostInviteInputSerializer,
)
from clubs.services import cohosts as cohost_services


class ClubCoHostInvitationsApi(PaginatedApiMixin, APIView):
    error_statuses = (409,)

    @extend_schema(
        responses=CoHostInvitationOutputSerializer(many=True),
        summary="The club's pending co-host invitations (its hosts and staff)",
    )
    def get(self, request: Request, club_id: int) -> Response:
        club = access.club_get_for_host(user=request.user, club_id=club_id)
        return paginated_response(
            request=request,
            queryset=selectors.cohost_invitation_list_for_club(club=club),
            serializer_class=CoHostInvitationOutputSerializer,
            view=self,
        )

    @extend_schema(
        request=CoHostInviteInputSerializer,
        responses={201: CoHostInvitationOutputSerializer},
        summary="Invite an approved volunteer to co-host (its hosts and staff)",
    )
    def post(self, request: Request, club_id: int) -> Response:
        club = access.club_get_for_host(user=request.user, club_id=club_id)
        serializer = CoHostInviteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = cohost_services.cohost_invite(
            club=club,
            invited_by=request.user,
            user_id=serializer.validated_data.get("user"),
            email=serializer.validated_data.get("email"),
        )
        return Response(
            CoHostInvitationOutputSerializer(invitation).data,
            status=status.HTTP_201_CREATED,
        )


class MyCoHostInvitationsApi(PaginatedApiMixin, APIView):
    @extend_schema(
        responses=CoHostInvitationOutputSerializer(many=True),
        summary="Co-host invitations waiting for my answer",
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request,
            queryset=selectors.cohost_invitation_list_for_invitee(user=request.user),
            serializer_class=CoHostInvitationOutputSerializer,
            view=self,
        )


class MyCoHostInvitationDecideApi(APIView):
    accept = True
    error_statuses = (409,)

    @extend_schema(
        request=None,
        responses=CoHostInvitationOutputSerializer,
        summary="Accept (then I host the club) or decline a co-host invitation",
    )
    def post(self, request: Request, invitation_id: int) -> Response:
        decide = (
            cohost_services.cohost_invitation_accept
            if self.accept
            else cohost_services.cohost_invitation_decline
        )
        invitation = decide(user=request.user, invitation_id=invitation_id)
        return Response(CoHostInvitationOutputSerializer(invitation).data)

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PaginatedApiMixin
from clubs import access, selectors
from clubs.serializers import (
    CancelInputSerializer,
    SessionFilterSerializer,
    SessionInputSerializer,
    SessionOutputSerializer,
)
from clubs.services import sessions as session_services


def _session_response(request: Request, session_id: int) -> Response:
    session = access.session_get(user=request.user, session_id=session_id)
    return Response(SessionOutputSerializer(session, context={"request": request}).data)


class SessionListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        parameters=[SessionFilterSerializer],
        responses=SessionOutputSerializer(many=True),
        summary="Sessions, soonest first (those not yet ended unless `from` is set)",
    )
    def get(self, request: Request) -> Response:
        filters = SessionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = selectors.session_list(
            user=request.user, filters=filters.validated_data
        )
        paginator = self.pagination_class()
        page = selectors.with_session_states(
            paginator.paginate_queryset(queryset, request, view=self),
            user_id=request.user.pk,
        )
        data = SessionOutputSerializer(
            page, many=True, context={"request": request}
        ).data
        return paginator.get_paginated_response(data)


class SessionDetailApi(APIView):
    error_statuses = (409,)

    @extend_schema(responses=SessionOutputSerializer, summary="A session")
    def get(self, request: Request, session_id: int) -> Response:
        return _session_response(request, session_id)

    @extend_schema(
        request=SessionInputSerializer(partial=True),
        responses=SessionOutputSerializer,
        summary="Change one session (its club's hosts and staff)",
    )
    def patch(self, request: Request, session_id: int) -> Response:
        session = access.session_get_for_host(user=request.user, session_id=session_id)
        serializer = SessionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        session_services.session_update(
            session_id=session.pk, data=serializer.validated_data
        )
        return _session_response(request, session.pk)


class SessionCancelApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=CancelInputSerializer,
        responses=SessionOutputSerializer,
        summary="Cancel one session; everyone signed up is e-mailed",
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = access.session_get_for_host(user=request.user, session_id=session_id)
        serializer = CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session_services.session_cancel(
            session_id=session.pk, reason=serializer.validated_data["reason"]
        )
        return _session_response(request, session.pk)

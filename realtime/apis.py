from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import PaginatedApiMixin, paginated_response
from backend.api.permissions import IsStaff
from realtime import access, selectors
from realtime.payloads import message_payload
from realtime.serializers import (
    HistoryQuerySerializer,
    HistorySerializer,
    MessageReportSerializer,
    ReportQuerySerializer,
    RoomSerializer,
)


class RoomListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        operation_id="rooms_list",
        responses=RoomSerializer(many=True),
        description="My rooms (one per session I may join), newest session first, "
        "with the last message and my unread count.",
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.room_list_for_user(user=request.user)
        paginator = self.pagination_class()
        page = selectors.with_room_states(
            paginator.paginate_queryset(queryset, request, view=self), user=request.user
        )
        data = RoomSerializer(page, many=True).data
        return paginator.get_paginated_response(data)


class RoomMessageListApi(APIView):
    @extend_schema(
        operation_id="rooms_messages_list",
        parameters=[HistoryQuerySerializer],
        responses=HistorySerializer,
        description="A page of a room's history in seq order. Without after_seq, "
        "the newest page (before before_seq if given); with after_seq, the oldest "
        "messages after it. Deleted messages stay as tombstones.",
    )
    def get(self, request: Request, room_id: int) -> Response:
        query = HistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        room, _role = access.room_access(room_id=room_id, user=request.user)
        messages, has_more = selectors.message_history(
            room_id=room.pk, **query.validated_data
        )
        return Response(
            {
                "results": [message_payload(m) for m in messages],
                "has_more": has_more,
                "last_seq": room.last_seq,
            }
        )


class MessageReportListApi(PaginatedApiMixin, APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        operation_id="reports_messages_list",
        parameters=[ReportQuerySerializer],
        responses=MessageReportSerializer(many=True),
        description="Staff only: reported chat messages, newest first.",
    )
    def get(self, request: Request) -> Response:
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return paginated_response(
            request=request,
            queryset=selectors.report_list(status=query.validated_data.get("status")),
            serializer_class=MessageReportSerializer,
            view=self,
        )

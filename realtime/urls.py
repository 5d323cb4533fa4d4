from django.urls import path

from realtime import apis

urlpatterns = [
    path("rooms/", apis.RoomListApi.as_view(), name="room-list"),
    path(
        "rooms/<int:room_id>/messages/",
        apis.RoomMessageListApi.as_view(),
        name="room-message-list",
    ),
    path(
        "reports/messages/",
        apis.MessageReportListApi.as_view(),
        name="report-message-list",
    ),
]

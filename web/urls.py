from django.urls import path

from web.views import accounts, learning, rooms

app_name = "web"

urlpatterns = [
    path("", accounts.landing, name="landing"),
    path("language/", accounts.set_language, name="set-language"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/delete/", accounts.account_delete, name="account-delete"),
    path("placement/", learning.placement, name="placement"),
    path("placement/start/", learning.placement_start, name="placement-start"),
    path("practice/", learning.practice, name="practice"),
    path("progress/", learning.progress, name="progress"),
    path("rooms/", rooms.room_list, name="rooms"),
    path("rooms/<int:room_id>/", rooms.room_detail, name="room"),
    path("sw.js", accounts.service_worker, name="service-worker"),
]

from django.urls import path

from web.views import accounts, learning

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
    path("sw.js", accounts.service_worker, name="service-worker"),
]

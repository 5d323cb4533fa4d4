from django.urls import path

from web import views

app_name = "web"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("language/", views.set_language, name="set-language"),
    path("profile/", views.profile, name="profile"),
    path("profile/delete/", views.account_delete, name="account-delete"),
    path("placement/", views.placement, name="placement"),
    path("placement/start/", views.placement_start, name="placement-start"),
    path("practice/", views.practice, name="practice"),
    path("progress/", views.progress, name="progress"),
    path("sw.js", views.service_worker, name="service-worker"),
]

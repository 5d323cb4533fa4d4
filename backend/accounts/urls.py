from django.urls import path

from backend.accounts import apis

urlpatterns = [
    path("me/", apis.MeApi.as_view(), name="me"),
    path(
        "me/volunteer-application/",
        apis.VolunteerApplyApi.as_view(),
        name="volunteer-apply",
    ),
    path(
        "volunteer-applications/",
        apis.VolunteerApplicationListApi.as_view(),
        name="volunteer-application-list",
    ),
    path(
        "volunteer-applications/<int:application_id>/approve/",
        apis.VolunteerApplicationDecideApi.as_view(approve=True),
        name="volunteer-application-approve",
    ),
    path(
        "volunteer-applications/<int:application_id>/reject/",
        apis.VolunteerApplicationDecideApi.as_view(approve=False),
        name="volunteer-application-reject",
    ),
]

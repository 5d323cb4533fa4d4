from django.urls import path

from exercises import apis

urlpatterns = [
    path("topics/", apis.TopicListApi.as_view(), name="topic-list"),
    path("exercises/", apis.ExerciseListApi.as_view(), name="exercise-list"),
    path(
        "exercises/<int:exercise_id>/",
        apis.ExerciseDetailApi.as_view(),
        name="exercise-detail",
    ),
    path(
        "exercises/<int:exercise_id>/attempts/",
        apis.AttemptCreateApi.as_view(),
        name="attempt-create",
    ),
    path("attempts/", apis.AttemptListApi.as_view(), name="attempt-list"),
    path(
        "attempts/<int:attempt_id>/",
        apis.AttemptDetailApi.as_view(),
        name="attempt-detail",
    ),
    path(
        "attempts/<int:attempt_id>/dispute/",
        apis.DisputeCreateApi.as_view(),
        name="attempt-dispute",
    ),
    path("disputes/", apis.DisputeListApi.as_view(), name="dispute-list"),
    path("me/disputes/", apis.MyDisputeListApi.as_view(), name="my-dispute-list"),
    path(
        "disputes/<int:dispute_id>/accept/",
        apis.DisputeAcceptApi.as_view(),
        name="dispute-accept",
    ),
    path(
        "disputes/<int:dispute_id>/reject/",
        apis.DisputeRejectApi.as_view(),
        name="dispute-reject",
    ),
    path("reviews/due/", apis.ReviewDueApi.as_view(), name="review-due"),
    path("progress/", apis.ProgressApi.as_view(), name="progress"),
    path("placement/", apis.PlacementStartApi.as_view(), name="placement-start"),
    path(
        "placement/<int:test_id>/",
        apis.PlacementDetailApi.as_view(),
        name="placement-detail",
    ),
    path(
        "placement/<int:test_id>/answers/",
        apis.PlacementAnswerApi.as_view(),
        name="placement-answer",
    ),
]

"""Thin HTTP layer: validate input, one service or selector call, serialize."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import Level
from backend.api.pagination import PaginatedApiMixin, paginated_response
from backend.api.permissions import IsApprovedVolunteer
from exercises import access, selectors, serializers
from exercises.models import Dispute, Exercise
from exercises.services import attempts as attempt_services
from exercises.services import disputes as dispute_services
from exercises.services import placement as placement_services

LANGUAGE_PARAM = OpenApiParameter(
    "language", str, description="ISO 639-1 code, e.g. lv", required=False
)


def _target_language(request: Request, data: dict) -> str:
    return data.get("language") or request.user.target_language


class TopicListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        responses=serializers.TopicOutputSerializer(many=True), summary="Topics"
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request,
            queryset=selectors.topic_list(),
            serializer_class=serializers.TopicOutputSerializer,
            view=self,
        )


class ExerciseListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        parameters=[
            LANGUAGE_PARAM,
            OpenApiParameter("level", enum=Level.values, required=False),
            OpenApiParameter("topic", str, description="topic slug", required=False),
            OpenApiParameter("kind", enum=Exercise.Kind.values, required=False),
        ],
        responses=serializers.ExerciseOutputSerializer(many=True),
        summary="Exercises (never with their answers)",
    )
    def get(self, request: Request) -> Response:
        filters = serializers.ExerciseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return paginated_response(
            request=request,
            queryset=selectors.exercise_list(**filters.validated_data),
            serializer_class=serializers.ExerciseOutputSerializer,
            view=self,
        )


class ExerciseDetailApi(APIView):
    @extend_schema(
        responses=serializers.ExerciseOutputSerializer, summary="One exercise"
    )
    def get(self, request: Request, exercise_id: int) -> Response:
        exercise = access.exercise_get(exercise_id=exercise_id)
        return Response(serializers.ExerciseOutputSerializer(exercise).data)


class AttemptCreateApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=serializers.AttemptInputSerializer,
        responses={
            201: serializers.AttemptOutputSerializer,
            200: serializers.AttemptOutputSerializer,
        },
        summary="Answer an exercise (201; 200 when client_attempt_id was seen)",
    )
    def post(self, request: Request, exercise_id: int) -> Response:
        serializer = serializers.AttemptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attempt, created = attempt_services.attempt_create(
            user=request.user, exercise_id=exercise_id, **serializer.validated_data
        )
        return Response(
            serializers.AttemptOutputSerializer(attempt).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AttemptListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("exercise", int, required=False)],
        responses=serializers.AttemptOutputSerializer(many=True),
        summary="My attempts, newest first",
    )
    def get(self, request: Request) -> Response:
        filters = serializers.AttemptFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = selectors.attempt_list_for_owner(
            user=request.user, exercise_id=filters.validated_data.get("exercise")
        )
        return paginated_response(
            request=request,
            queryset=qs,
            serializer_class=serializers.AttemptOutputSerializer,
            view=self,
        )


class AttemptDetailApi(APIView):
    @extend_schema(responses=serializers.AttemptOutputSerializer, summary="My attempt")
    def get(self, request: Request, attempt_id: int) -> Response:
        attempt = access.attempt_get_for_owner(user=request.user, attempt_id=attempt_id)
        return Response(serializers.AttemptOutputSerializer(attempt).data)


class DisputeCreateApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=serializers.DisputeInputSerializer,
        responses={201: serializers.MyDisputeOutputSerializer},
        summary="Dispute my attempt: my answer should be accepted",
    )
    def post(self, request: Request, attempt_id: int) -> Response:
        serializer = serializers.DisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispute = dispute_services.dispute_create(
            user=request.user, attempt_id=attempt_id, **serializer.validated_data
        )
        return Response(
            serializers.MyDisputeOutputSerializer(dispute).data,
            status=status.HTTP_201_CREATED,
        )


class DisputeListApi(PaginatedApiMixin, APIView):
    permission_classes = [IsApprovedVolunteer]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=Dispute.Status.values, required=False),
            LANGUAGE_PARAM,
        ],
        responses=serializers.DisputeOutputSerializer(many=True),
        summary="The dispute queue (staff and approved volunteers), oldest first",
    )
    def get(self, request: Request) -> Response:
        filters = serializers.DisputeFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return paginated_response(
            request=request,
            queryset=selectors.dispute_list(**filters.validated_data),
            serializer_class=serializers.DisputeOutputSerializer,
            view=self,
        )


class _DisputeDecideApi(APIView):
    permission_classes = [IsApprovedVolunteer]
    error_statuses = (409,)
    accept: bool
    input_serializer: type[drf_serializers.Serializer]

    def _decide(self, request: Request, dispute_id: int) -> Response:
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispute = dispute_services.dispute_decide(
            dispute_id=dispute_id,
            judge=request.user,
            accept=self.accept,
            reason=serializer.validated_data["reason"],
        )
        return Response(serializers.DisputeOutputSerializer(dispute).data)


class DisputeAcceptApi(_DisputeDecideApi):
    accept = True
    input_serializer = serializers.DisputeAcceptInputSerializer

    @extend_schema(
        request=serializers.DisputeAcceptInputSerializer,
        responses=serializers.DisputeOutputSerializer,
        summary="Accept a dispute: the attempt turns correct (optional note)",
    )
    def post(self, request: Request, dispute_id: int) -> Response:
        return self._decide(request, dispute_id)


class DisputeRejectApi(_DisputeDecideApi):
    accept = False
    input_serializer = serializers.DisputeRejectInputSerializer

    @extend_schema(
        request=serializers.DisputeRejectInputSerializer,
        responses=serializers.DisputeOutputSerializer,
        summary="Reject a dispute, saying why (the learner sees the reason)",
    )
    def post(self, request: Request, dispute_id: int) -> Response:
        return self._decide(request, dispute_id)


class MyDisputeListApi(PaginatedApiMixin, APIView):
    @extend_schema(
        responses=serializers.MyDisputeOutputSerializer(many=True),
        summary="My disputes, newest first, with the outcome and the judge's reason",
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request,
            queryset=selectors.dispute_list_for_owner(user=request.user),
            serializer_class=serializers.MyDisputeOutputSerializer,
            view=self,
        )


class ReviewDueApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "language",
                str,
                required=False,
                description="Defaults to my target language.",
            ),
            OpenApiParameter("limit", int, required=False, description="1–100"),
        ],
        responses=serializers.ReviewDueOutputSerializer,
        summary="My review queue: due cards, most overdue first, then new ones",
    )
    def get(self, request: Request) -> Response:
        filters = serializers.ReviewDueFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        items, due_total = selectors.review_due_list(
            user=request.user,
            language=_target_language(request, filters.validated_data),
            limit=filters.validated_data["limit"],
            now=timezone.now(),
        )
        return Response(
            serializers.ReviewDueOutputSerializer(
                {"due_total": due_total, "results": items}
            ).data
        )


class ProgressApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "language",
                str,
                required=False,
                description="Defaults to my target language.",
            )
        ],
        responses=serializers.ProgressOutputSerializer,
        summary="My progress per level and topic, streak and practice time",
    )
    def get(self, request: Request) -> Response:
        filters = serializers.ProgressFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        progress = selectors.progress_get(
            user=request.user,
            language=_target_language(request, filters.validated_data),
            now=timezone.now(),
        )
        return Response(serializers.ProgressOutputSerializer(progress).data)


class PlacementStartApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=serializers.PlacementStartSerializer,
        responses={
            201: serializers.PlacementOutputSerializer,
            200: serializers.PlacementOutputSerializer,
        },
        summary="Start a placement test (200 with the running one to resume)",
    )
    def post(self, request: Request) -> Response:
        serializer = serializers.PlacementStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        test, created = placement_services.placement_start(
            user=request.user,
            language=_target_language(request, serializer.validated_data),
        )
        return Response(
            serializers.PlacementOutputSerializer(test).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PlacementDetailApi(APIView):
    @extend_schema(
        responses=serializers.PlacementOutputSerializer, summary="My placement test"
    )
    def get(self, request: Request, test_id: int) -> Response:
        test = access.placement_get_for_owner(user=request.user, test_id=test_id)
        return Response(serializers.PlacementOutputSerializer(test).data)


class PlacementAnswerApi(APIView):
    error_statuses = (409,)

    @extend_schema(
        request=serializers.PlacementAnswerSerializer,
        responses=serializers.PlacementOutputSerializer,
        summary="Answer the current item; returns the next item or the result",
    )
    def post(self, request: Request, test_id: int) -> Response:
        serializer = serializers.PlacementAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        test = placement_services.placement_answer(
            user=request.user,
            test_id=test_id,
            exercise_id=serializer.validated_data["exercise"],
            answer=serializer.validated_data["answer"],
        )
        return Response(serializers.PlacementOutputSerializer(test).data)

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.permissions import IsStaff
from clubs.renderers import CSVRenderer, JsonErrorsMixin
from clubs.serializers import ReportFilterSerializer, ReportSerializer
from clubs.services import reports


class ParticipationReportApi(JsonErrorsMixin, APIView):
    permission_classes = [IsStaff]
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    def perform_content_negotiation(self, request, force=False):
        # ?format= picks the format; the serializer below rejects bad values
        # with a 400, so negotiation itself never fails.
        if request.query_params.get("format") == "csv":
            return CSVRenderer(), CSVRenderer.media_type
        return renderers.JSONRenderer(), "application/json"

    @extend_schema(
        parameters=[ReportFilterSerializer],
        responses={
            (200, "application/json"): ReportSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The same rows as CSV, header first."
            ),
        },
        summary="Participation per club and month (staff)",
    )
    def get(self, request: Request) -> Response:
        filters = ReportFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        rows = reports.participation_report(
            date_from=data["from"], date_to=data["to"], club_id=data.get("club")
        )
        if data["format"] == "csv":
            response = Response(
                reports.report_csv(rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="participation-{data["from"]}-{data["to"]}.csv"'
            )
            return response
        return Response({"from": data["from"], "to": data["to"], "rows": rows})

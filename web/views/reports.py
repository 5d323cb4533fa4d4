"""Staff: the participation report as a page, with the API's filters and the
same rows (``clubs.services.reports``); the CSV is the API's own download."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clubs.models import Club
from clubs.services import reports
from web.host_forms import ReportFilterForm


@login_required
@require_safe
def participation_report(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied(_("Only city staff may see the participation report."))
    clubs = list(Club.objects.order_by("name", "id").only("id", "name"))
    form = ReportFilterForm(request.GET or None, clubs=clubs)
    # An empty query is the API's default range (the last twelve months).
    bound = form if form.is_bound else ReportFilterForm({}, clubs=clubs)
    context = {"form": form, "rows": None, "levels": reports.LEVELS}
    if bound.is_valid():
        data = bound.api_data
        context["rows"] = reports.participation_report(
            date_from=data["from"], date_to=data["to"], club_id=data.get("club")
        )
        context["date_from"], context["date_to"] = data["from"], data["to"]
        query = {"from": data["from"], "to": data["to"], "format": "csv"}
        if data.get("club"):
            query["club"] = data["club"]
        context["csv_url"] = (
            reverse("clubs:participation-report") + "?" + urlencode(query)
        )
        if not form.is_bound:
            form.initial = {"date_from": data["from"], "date_to": data["to"]}
    return render(
        request,
        "web/host/report.html",
        context,
        status=200 if bound.is_valid() else 400,
    )

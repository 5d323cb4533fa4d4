"""Apply to volunteer and see where my application stands (backend.accounts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backend.accounts import selectors as account_selectors
from backend.accounts import services as account_services
from backend.accounts.models import VolunteerApplication, VolunteerStatus
from backend.api.errors import ApiError, NotFound
from web.club_forms import VolunteerApplicationForm


def _latest_application(user) -> VolunteerApplication | None:
    try:
        return account_selectors.volunteer_application_get_mine(user=user)
    except NotFound:
        return None


@login_required
def volunteer(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = VolunteerApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.volunteer_apply(user=user, **form.validated_data)
        except ApiError as error:  # already approved, or already waiting
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Thank you! Staff will look at your application soon.")
            )
        return redirect("web:volunteer")
    context = {
        "application": _latest_application(user),
        "form": form,
        "approved": user.volunteer_status == VolunteerStatus.APPROVED,
        # The form is offered to whoever is neither approved nor waiting (also
        # after a "no"); the service decides when it is sent anyway.
        "may_apply": user.volunteer_status
        not in (VolunteerStatus.APPROVED, VolunteerStatus.PENDING),
    }
    status = 400 if form.errors else 200
    return render(request, "web/clubs/volunteer.html", context, status=status)

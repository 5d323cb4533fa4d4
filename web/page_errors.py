"""The API's access errors as pages: the same getters, a page's answer.

Services and access getters raise ``ApiError``s (a DRF view turns them into
the JSON contract); a page view wraps its calls with ``api_errors_as_pages``
so that a ``NotFound`` is Django's 404 page and a ``Forbidden`` the 403 page
(``web/templates/403.html``) with the getter's message, never a 500.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from backend.api.errors import Forbidden, NotFound


def api_errors_as_pages(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from None
        except Forbidden as error:
            raise PermissionDenied(error.message) from None

    return wrapped


def in_my_time_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Times on the page, and times typed into its forms, are the signed-in
    person's own (their profile's ``time_zone``)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with timezone.override(request.user.zone):
            return view(request, *args, **kwargs)

    return wrapped

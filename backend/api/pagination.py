from django.core.exceptions import ImproperlyConfigured
from rest_framework import pagination
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N&page_size=M`` (at most 100); body: count, next, previous, results."""

    page_size_query_param = "page_size"
    max_page_size = 100


# For an APIView whose GET answers a list. drf-spectacular reads
# ``pagination_class`` to document the page object and its ``page``/``page_size``
# parameters for a ``many=True`` response, and ``paginated_response`` pages
# through the same class, so the schema and the answer cannot drift apart.
# (A comment, not a docstring: the schema would take it as every list's
# description.)
class PaginatedApiMixin:
    pagination_class = PageNumberPagination


def paginated_response(
    *, request, queryset, serializer_class, view, context=None
) -> Response:
    """Paginate a selector's queryset and serialize one page: for APIViews."""
    if getattr(view, "pagination_class", None) is None:
        raise ImproperlyConfigured(
            f"{type(view).__name__} answers a page: give it PaginatedApiMixin, so "
            "its schema documents the page object too."
        )
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer_class(page, many=True, context=context or {}).data
    return paginator.get_paginated_response(data)

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.response import Response


class CountWithoutAnnotationsPaginator(Paginator):
    """Counts a page's queryset without its annotations.

    Django keeps every annotation of a ``distinct()`` queryset in the COUNT
    (they are part of the rows it de-duplicates), so a list's per-row
    subqueries (unread counts, registrations) would run once more for every
    row just to count them. Annotations change no row count unless they
    aggregate, so those querysets are counted on their primary keys only.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        annotations = (
            queryset.query.annotations if isinstance(queryset, QuerySet) else {}
        )
        if annotations and not any(a.contains_aggregate for a in annotations.values()):
            return queryset.order_by().values("pk").count()
        return super().count


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N&page_size=M`` (at most 100); body: count, next, previous, results."""

    django_paginator_class = CountWithoutAnnotationsPaginator
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

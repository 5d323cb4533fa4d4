from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N&page_size=M`` (at most 100); body: count, next, previous, results."""

    page_size_query_param = "page_size"
    max_page_size = 100


def paginated_response(*, request, queryset, serializer_class, view, context=None):
    """Paginate a selector's queryset and serialize one page: for APIViews."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer_class(page, many=True, context=context or {}).data
    return paginator.get_paginated_response(data)

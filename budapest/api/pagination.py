"""Pages of 20 by default; ``page_size`` asks for more, up to 100 whatever is asked.

Both parameters are whole numbers from 1 written in digits; anything else (empty, negative, a sign,
a fraction, other scripts' digits) is a 400 that says so. A size above 100 is served as 100.

The total a list reports (``count``, ``X-Total-Count``, the last page) is counted once per change of the
content for the public (``budapest.fragments.per_generation``, keyed by the address without its page):
counting 300,000 interventions took 150 ms of every page. Staff who preview count afresh: drafts too.
"""

import functools
import hashlib

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination

from budapest.filters import whole_number
from budapest.fragments import per_generation
from meetings.models import can_preview


class KeptCountPaginator(Paginator):
    """A paginator whose count is kept per change under `count_name` (None: counted at each request)."""

    def __init__(self, object_list, per_page, *, count_name: str | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_name = count_name

    @cached_property
    def count(self) -> int:
        counted = Paginator.count.func  # type: ignore[attr-defined]  # Django's own count, uncached
        if self.count_name is None:
            return counted(self)
        return per_generation(self.count_name, lambda: counted(self))


def count_name(request) -> str:
    """What a list's count is kept under: its address and every parameter but the page, its size and format."""
    ignored = {"page", "page_size", "format"}
    parameters = sorted((key, request.query_params.getlist(key)) for key in request.query_params if key not in ignored)
    address = repr((request.path, parameters)).encode()
    return f"api-count:{hashlib.blake2b(address, digest_size=16).hexdigest()}"


class PageNumberPagination(BasePageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_size_query_description = (
        "How many results a page holds: a whole number from 1; 20 unless asked, never more than 100 "
        "(a larger number gives 100). An empty or malformed value is a 400."
    )
    page_query_description = "The page number, from 1. A page past the last one answers 404."

    def paginate_queryset(self, queryset, request, view=None):
        name = None if can_preview(getattr(request, "user", None)) else count_name(request)
        self.django_paginator_class = functools.partial(KeptCountPaginator, count_name=name)  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        number = whole_number(value)
        if number is None:
            raise ValidationError({self.page_query_param: ["Give a page number from 1."]})
        if number > paginator.num_pages:
            raise NotFound(f"There is no page {value[:20]}: the last page is {paginator.num_pages}.")
        return number

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        # A malformed size (an empty one too) is a mistake to point out, not a reason to guess; a large one is capped.
        size = whole_number(value)
        if size is None:
            raise ValidationError({self.page_size_query_param: ["Give a whole number from 1 (at most 100 are sent)."]})
        return min(size, self.max_page_size)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # A CSV file has no room for the links, so every format also carries them as headers.
        links = []
        if next_url := self.get_next_link():
            links.append(f'<{next_url}>; rel="next"')
        if previous_url := self.get_previous_link():
            links.append(f'<{previous_url}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(self.page.paginator.count)
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

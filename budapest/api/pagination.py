"""Pages of 20 by default; ``page_size`` asks for more, up to 100 whatever is asked."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination


class PageNumberPagination(BasePageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_size_query_description = "How many results a page holds: 20 unless asked, never more than 100."
    page_query_description = "The page number, from 1. A page past the last one answers 404."

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_query_param: ["Give a page number from 1."]})
        if int(value) > paginator.num_pages:
            raise NotFound(f"There is no page {value}: the last page is {paginator.num_pages}.")
        return value

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None or value == "":
            return self.page_size
        # A malformed size is a mistake to point out, not a reason to guess; a large one is capped.
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number from 1 (at most 100 are sent)."]})
        return min(int(value), self.max_page_size)

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

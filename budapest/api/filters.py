"""The django-filter backend, telling a malformed value (400) from a well-formed one that names nothing (404)."""

import django_filters
from django_filters import rest_framework as filters
from django_filters.filters import BaseCSVFilter
from rest_framework.exceptions import NotFound, ValidationError

from budapest.filters import NOT_FOUND


class FilterBackend(filters.DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and request.query_params.keys().isdisjoint(filterset_class.base_filters):
            # No filter asked for: the list as it is, without building a form of every filter (a few ms).
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        # The HTML lists send every field of their form, empty when unused; an API client names a filter to use it.
        empty = {}
        for name, filter_ in filterset.filters.items():
            value = request.query_params.get(name)
            if value == "" and not isinstance(filter_, django_filters.CharFilter):
                empty[name] = ["Give a value, or leave this filter out."]
            elif value and isinstance(filter_, BaseCSVFilter) and "" in value.split(","):
                # "ordering=," or "ordering=date,": an item that names nothing, as "ordering=" does.
                empty[name] = ["Give values separated by commas, none of them empty."]
        if empty:
            raise ValidationError(empty)
        if not filterset.is_valid():
            errors = filterset.form.errors.as_data()
            codes = {error.code for field_errors in errors.values() for error in field_errors}
            if codes == {NOT_FOUND}:
                # "Interventions of country QQ": there is no such list, as there is no such country.
                raise NotFound(" ".join(e.messages[0] for field_errors in errors.values() for e in field_errors))
            raise ValidationError(filterset.errors)
        return filterset.qs

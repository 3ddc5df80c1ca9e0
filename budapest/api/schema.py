"""The OpenAPI description: every operation lists the errors it can answer with, and which requests need no token."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class ErrorSerializer(serializers.Serializer):
    """An error with one message."""

    detail = serializers.CharField(help_text="What went wrong, in words.")


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'Messages per parameter or field at fault, e.g. `{"year": ["Enter a whole number."]}`, or one `detail` message.'
    ),
    "additionalProperties": {},
}

CSV_SCHEMA = {
    "type": "string",
    "description": (
        "One row per object after a header row; nested objects as dotted columns (`series.name`), "
        'lists joined with "; ". Asked for with `?format=csv` or `Accept: text/csv`.'
    ),
}

RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before the next request is allowed.",
    }
}

ETAG = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "Changes when the response would change; send it back in `If-None-Match` to get a 304.",
    }
}


class AutoSchema(BaseAutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})  # anyone may read; a token only raises the rate
        return auths

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in ("PUT", "PATCH"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The ETag of your last read of the record; if it changed since, the answer is 412.",
                )
            )
        return parameters

    def get_response_serializers(self):
        # A write is answered with the record as a read of it shows it (see WritableMixin).
        if self.method not in SAFE_METHODS and hasattr(self.view, "get_read_serializer_class"):
            return self.view.get_read_serializer_class()
        return super().get_response_serializers()

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        example = getattr(self.view, "lookup_example", None)
        for parameter in parameters:
            if example is not None and parameter["name"] == getattr(self.view, "lookup_field", None):
                parameter["example"] = example  # a real record, for readers of the docs and for schemathesis
        return parameters

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class else {}
        for parameter in parameters:
            filter_ = filters.get(parameter["name"])
            if parameter["schema"].get("type") == "array":
                parameter["schema"]["minItems"] = 1  # "ordering=" names no field: a 400, as any unknown field
            if filter_ is not None and not parameter.get("description") and filter_.label:
                hint = getattr(filter_, "schema_hint", "")
                parameter["description"] = f"{filter_.label}. {hint}".strip()
        return parameters

    def _error(self, status: str, description: str, *, validation: bool = False, headers=None):
        if validation:
            schema = VALIDATION_ERROR_SCHEMA
        else:
            schema = self.resolve_serializer(ErrorSerializer, "response").ref
        response = {"description": description, "content": {"application/json": {"schema": schema}}}
        if headers:
            response["headers"] = headers
        return status, response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        reading = self.method in SAFE_METHODS
        errors = []
        for response in responses.values():
            if "text/csv" in response.get("content", {}):
                response["content"]["text/csv"] = {"schema": CSV_SCHEMA}
        if reading and "200" in responses:
            responses["200"].setdefault("headers", {}).update(ETAG)
            errors.append(("304", {"description": "Not modified: the `If-None-Match` ETag still matches."}))
        errors.append(
            self._error(
                "400",
                "Malformed request: a filter, page, page size or field value that is not valid (a NUL character "
                "anywhere), with a message for each.",
                validation=True,
            )
        )
        errors.append(self._error("401", "The token given is not valid (or was revoked)."))
        if not reading:
            errors.append(self._error("403", "Only staff with the permission to add or change these records may."))
        errors.append(
            self._error(
                "404",
                "Not found: no such record or page, a filter that names a record that does not exist, "
                "or an unknown `format`.",
            )
        )
        errors.append(self._error("406", "The `Accept` header asks only for formats the API does not give."))
        if self.method in ("PUT", "PATCH"):
            errors.append(self._error("412", "The record changed since the read whose ETag was sent in `If-Match`."))
            if hasattr(self.view, "check_writable"):
                errors.append(
                    self._error(
                        "409", "The record may not be changed here: a published meeting is changed in the admin."
                    )
                )
        errors.append(self._error("429", "Too many requests: wait as `Retry-After` says.", headers=RETRY_AFTER))
        for status, response in errors:
            responses.setdefault(status, response)
        return responses

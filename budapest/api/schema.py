"""The OpenAPI description: every operation lists the errors it can answer with, and which requests need no token."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from budapest.api.serializers import ExactTypesMixin
from budapest.api.viewsets import WritableMixin


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


# A text parameter holds no C0 control character and no DEL (budapest.security.CONTROL_CHARACTERS).
NO_CONTROL_CHARACTERS = "^[^\\x00-\\x1f\\x7f]*$"
# The methods that change a record as it was read: they send its ETag in If-Match (a 412 if it changed since).
CHANGES = ("PUT", "PATCH")


class AutoSchema(BaseAutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})  # anyone may read; a token only raises the rate
        return auths

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in CHANGES:
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
            schema = parameter["schema"]
            for text in (schema, schema.get("items", {})):
                if text.get("type") == "string" and "enum" not in text:
                    text.setdefault("pattern", NO_CONTROL_CHARACTERS)  # budapest.security refuses them: 400
            if parameter["schema"].get("type") == "array":
                parameter["schema"]["minItems"] = 1  # "ordering=" names no field: a 400, as any unknown field
            if filter_ is not None and not parameter.get("description") and filter_.label:
                hint = getattr(filter_, "schema_hint", "")
                parameter["description"] = f"{filter_.label}. {hint}".strip()
        return parameters

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        component = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and isinstance(serializer, ExactTypesMixin) and component.get("type") == "object":
            # A field the body may not write (unknown, or read-only) is a 400 (ExactTypesMixin.unknown_fields).
            component["additionalProperties"] = False
        return component

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation:
            document_parameters(operation.get("parameters", []), self.view)
        return operation

    def _error(self, status: str, description: str, *, validation: bool = False, headers=None):
        if validation:
            schema = VALIDATION_ERROR_SCHEMA
        else:
            schema = self.resolve_serializer(ErrorSerializer, "response").ref
        response = {"description": description, "content": {"application/json": {"schema": schema}}}
        if headers:
            response["headers"] = headers
        return status, response

    def _may_refuse_the_write(self) -> bool:
        """A 409 where the view refuses some writes: it has its own check_writable (PUT, PATCH) or
        check_writable_data (POST, PUT, PATCH); WritableMixin's own refuse nothing."""
        view = type(self.view)
        if self.method in SAFE_METHODS or not issubclass(view, WritableMixin):
            return False
        checks = ["check_writable_data"] + (["check_writable"] if self.method in CHANGES else [])
        return any(getattr(view, name) is not getattr(WritableMixin, name) for name in checks)

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
                "Malformed request: a filter, page, page size or field value that is not valid (a control "
                "character such as NUL in any parameter, a value of the wrong JSON type), with a message for each.",
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
        if self.method in CHANGES:
            errors.append(self._error("412", "The record changed since the read whose ETag was sent in `If-Match`."))
        if self._may_refuse_the_write():
            errors.append(
                self._error("409", "The record may not be changed here: a published meeting is changed in the admin.")
            )
        errors.append(self._error("429", "Too many requests: wait as `Retry-After` says.", headers=RETRY_AFTER))
        for status, response in errors:
            responses.setdefault(status, response)
        return responses


# Examples of every query, header and path parameter the API takes, by name: real values of the 2020
# meeting, so that the interactive documentation's "Try it out" finds something.
PARAMETER_EXAMPLES = {
    "country": "TR",
    "organisation": "UNODC",
    "meeting": "2020-12-02-annual-senior-officials-meeting",
    "goal": 5,
    "framework": "2019-2024",  # the Call for Action of the 2020 meeting
    "named": True,
    "year": 2020,
    "date_from": "2020-01-01",
    "date_to": "2020-12-31",
    "role": "chair",
    "series": "senior-officials-meetings",
    "region": "silk-routes",
    "kind": "international",
    "search": "migration",
    "page": 1,
    "page_size": 50,
    "format": "json",
    "If-Match": "*",  # any version; send the ETag of your last read to be warned of a change (412)
    "iso_code": "TR",
    "slug": None,  # the view's own lookup_example
    "number": 1,
    "id": None,
}
PARAMETER_DESCRIPTIONS = {
    "format": "`json` (the default) or `csv`; the same as `Accept: application/json` or `Accept: text/csv`.",
    "iso_code": "The country's ISO 3166-1 alpha-2 code, in capitals or not (TR, tr).",
    "slug": "The record's slug, as in its address on the site.",
    "number": "The goal's number in the Call for Action (1 to 6).",
    "id": "The record's number, as in its `api_url`.",
}


def document_parameters(parameters: list[dict], view) -> list[dict]:
    """Every parameter with a description and an example (from the tables above or the view)."""
    for parameter in parameters:
        name = parameter["name"]
        if not parameter.get("description") and name in PARAMETER_DESCRIPTIONS:
            parameter["description"] = PARAMETER_DESCRIPTIONS[name]
        if "example" in parameter or "examples" in parameter:
            continue
        example = PARAMETER_EXAMPLES.get(name)
        if example is None and parameter["in"] == "path":
            example = getattr(view, "lookup_example", None)
        choices = parameter.get("schema", {}).get("enum") or parameter.get("schema", {}).get("items", {}).get("enum")
        if choices and example not in choices:
            example = choices[0]
        if parameter.get("schema", {}).get("type") == "array" and example is not None:
            example = [example] if not isinstance(example, list) else example
        if example is not None:
            parameter["example"] = example
    return parameters


def operations(**docs: tuple[str, str]):
    """The summary and description of each action of a viewset: ``list=("List meetings", "…")``."""
    return extend_schema_view(
        **{action: extend_schema(summary=summary, description=text) for action, (summary, text) in docs.items()}
    )


def record_operations(record: str, records: str, *, listed: str, read: str):
    """The summaries and descriptions of a viewset of records that staff may add and change.

    ``record_operations("a country", "countries", listed="…", read="…")``: "List countries", "Read one
    country", "Add a country", "Replace a country's fields", "Change some fields of a country".
    """
    noun = record.split(" ", 1)[1]
    return operations(
        list=(f"List {records}", listed),
        retrieve=(f"Read one {noun}", read),
        create=(f"Add {record}", f"Staff with the permission to add {records} only."),
        update=(f"Replace {record}'s fields", "Staff only; send `If-Match` with the ETag of your last read."),
        partial_update=(f"Change some fields of {record}", "As `PUT`, with only the fields to change."),
    )

"""CSV for every list: one row per object, nested objects as dotted columns, lists joined with "; "."""

import io

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from budapest.downloads import content_disposition
from budapest.spreadsheets import write_csv

LIST_SEPARATOR = "; "
# The keys that name a nested object best when a cell can only hold one word for it.
LABEL_KEYS = ("number", "name", "title", "slug")


def columns(serializer, prefix: str = "") -> list[str]:
    """The columns of a serializer: nested single objects become dotted columns, everything else one column."""
    result = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            result += columns(field, f"{prefix}{name}.")
        else:
            result.append(f"{prefix}{name}")
    return result


def label(value) -> str:
    if isinstance(value, dict):
        for key in LABEL_KEYS:
            if value.get(key) not in (None, ""):
                return str(value[key])
        return ""
    return "" if value is None else str(value)


def cell(value) -> str:
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(label(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return label(value)


def pick(row: dict, column: str):
    value: object = row
    for key in column.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        elif data is None:
            return b""
        else:
            rows = [data]
        header = columns(view.get_serializer()) if view is not None and hasattr(view, "get_serializer") else []
        if not header and rows:
            header = list(rows[0])
        buffer = io.StringIO()
        write_csv(buffer, header, ([cell(pick(row, column)) for column in header] for row in rows))
        response = renderer_context.get("response")
        if response is not None and view is not None and getattr(view, "basename", None):
            response["Content-Disposition"] = content_disposition(f"{view.basename}.csv")
        return buffer.getvalue().encode(self.charset)

"""The one place where a meeting's or a paragraph's `version` goes up: once per save, so a stale edit is caught."""

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from .models import Meeting, Paragraph


def version_bump(obj: "Meeting | Paragraph", *, seen: int | None = None) -> bool:
    """Count a save of `obj`: its version goes up by one, in the database and on the object.

    With `seen`, only if the row is still at that version (a compare-and-set in one UPDATE, which
    the database runs one at a time per row): False when someone saved since, and nothing changes.
    """
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if seen is not None:
        rows = rows.filter(version=seen)
    if not rows.update(version=models.F("version") + 1):
        return False
    obj.version = rows.model._default_manager.values_list("version", flat=True).get(pk=obj.pk)
    return True

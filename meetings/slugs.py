"""Free slugs: a row's address name, made unique among its model's rows ("croatia", else "croatia-2", …)."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q


class FreeSlugs:
    """Free slugs for many new rows of one model, found with one query: "croatia", else "croatia-2", …"""

    def __init__(self, model: Any, bases: Iterable[str], *, max_length: int = 200) -> None:
        self.max_length = max_length
        self.bases = {self._base(base) for base in bases}
        query = Q(pk__in=[])
        for base in self.bases:
            query |= Q(slug=base) | Q(slug__startswith=f"{base}-")
        self.taken: set[str] = set(model.objects.filter(query).values_list("slug", flat=True)) if self.bases else set()

    def _base(self, base: str) -> str:
        return base[: self.max_length].strip("-") or "item"

    def take(self, base: str) -> str:
        base = self._base(base)
        slug, number = base, 2
        while slug in self.taken:
            suffix = f"-{number}"
            slug = base[: self.max_length - len(suffix)].rstrip("-") + suffix
            number += 1
        self.taken.add(slug)
        return slug


def unique_slug(model: Any, base: str, *, max_length: int = 200) -> str:
    """`base`, or `base-2`, `base-3`, … : the first slug no row of `model` has (one query)."""
    return FreeSlugs(model, [base], max_length=max_length).take(base)

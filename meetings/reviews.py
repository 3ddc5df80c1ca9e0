"""A review asked for and answered before a Publisher publishes: one shape for a meeting's and a translation's.

An Editor (or a translator) asks for review; a Publisher sends the change back with a comment, or publishes
it, which clears the review. The fields are the workflow's to set (`set_review`), never a form's.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reviewed(models.Model):
    """Where a change stands in review, who asked or answered, when, and the comment sent back."""

    class ReviewStatus(models.TextChoices):
        NONE = "", _("Not asked")
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Sent back")

    review_status = models.CharField(
        _("review"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.NONE,
        blank=True,
        editable=False,
    )
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)
    review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("review asked or answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    review_at = models.DateTimeField(_("review time"), null=True, blank=True, editable=False)

    REVIEW_FIELDS = ("review_status", "review_comment", "review_by", "review_at")

    class Meta:
        abstract = True

    def set_review(self, status: str, *, user, comment: str = "") -> None:
        """Record a step of the review (asked, sent back) and save it, with nothing else of the row."""
        self.review_status, self.review_comment = status, comment
        self.review_by = user if user is not None and user.is_authenticated else None
        self.review_at = timezone.now()
        # With the row's `updated_at` (auto_now), which each model that is reviewed has.
        fields: list[str] = [*self.REVIEW_FIELDS, "updated_at"]
        self.save(update_fields=fields)

    def clear_review(self) -> None:
        """The change is published: nothing waits for review any more (saved with the publication)."""
        self.review_status, self.review_comment = self.ReviewStatus.NONE, ""

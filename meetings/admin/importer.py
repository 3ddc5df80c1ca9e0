"""“Import a summary” in the admin: upload a summary, review what was recognised, save it as a draft."""


class ImportSummaryAdminMixin:
    """Adds the import views to the meeting admin (filled in by the importer screen)."""

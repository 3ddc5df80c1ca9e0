"""Shared test fixtures. The 2020 meeting is loaded only by tests that ask for it."""

import pytest
from django.core.management import call_command

SOM_2020_SLUG = "2020-12-02-annual-senior-officials-meeting"


@pytest.fixture(autouse=True)
def _no_page_from_an_earlier_test():
    """Pages stored by the page cache (budapest.cache) in an earlier test show that test's data: forget them."""
    from budapest.cache import clear_page_cache

    clear_page_cache()


@pytest.fixture(autouse=True)
def _exports_of_this_test_only(settings, tmp_path):
    """Stored exports (budapest.exports) are keyed by the database's content; a rolled-back test's could match."""
    settings.EXPORT_ROOT = tmp_path / "exports"


@pytest.fixture
def som_2020(db):
    """The Annual Senior Officials Meeting of 2 December 2020, loaded from fixtures/."""
    from meetings.models import Meeting

    call_command("loaddata", "som-2020", verbosity=0)
    return Meeting.objects.get(slug=SOM_2020_SLUG)

"""Fixtures shared by every app's tests: the reference data and the personas."""

import pytest

from sasaeai.testing import personas as build_personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load Japan's regions once into the test database."""
    from sasaeai.regions.loading import load_regions

    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture
def regions(db):
    """The regions, reloaded if a transactional test flushed them."""
    from sasaeai.regions.loading import load_regions
    from sasaeai.regions.models import Municipality

    if not Municipality.objects.exists():
        load_regions()


@pytest.fixture
def personas(regions):
    """Center staff of Okayama, council staff of 津山市, staff of one corporation, staff of an
    unrelated corporation (who must see nothing of the first) and an anonymous visitor."""
    return build_personas()

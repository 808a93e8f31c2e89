"""Fixtures shared by every app's tests: the reference data and the personas."""

import pytest

from sasaeai.testing import personas as build_personas

pytest_plugins = ["sasaeai.testing.browser"]


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Pages are asserted in Japanese: compile the catalogue if it is missing or stale."""
    from django.core.management import call_command

    call_command("compilemessages_py", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached figures never outlive their test data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english():
    """Messages in their English source, for tests that assert the wording of a rule; the
    Japanese pages are asserted elsewhere."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load Japan's regions once into the test database."""
    from sasaeai.regions.loading import load_regions

    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture
def regions(db):
    """The regions and the starting lists of data migrations, put back if a transactional
    test flushed them."""
    import importlib

    from django.apps import apps

    from sasaeai.members.models import MemberType
    from sasaeai.regions.loading import load_regions
    from sasaeai.regions.models import Municipality

    if not Municipality.objects.exists():
        load_regions()
    if not MemberType.objects.exists():
        importlib.import_module("sasaeai.members.migrations.0003_starting_lists").add_lists(
            apps, None
        )


@pytest.fixture
def personas(regions):
    """Center staff of Okayama, council staff of 津山市, staff of one corporation, staff of an
    unrelated corporation (who must see nothing of the first) and an anonymous visitor."""
    return build_personas()

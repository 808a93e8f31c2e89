import pytest

from sasaeai.networks import importing


@pytest.fixture
def seeded(personas):
    """The seed's page 11 imported into Okayama, with the plan's network target."""
    importing.import_networks(importing.SEED_TABLE, prefecture="33")
    center = personas.okayama_center
    center.settings = {**center.settings, "network_target": {"value": 15, "deadline": "2020-03-31"}}
    center.save()
    return personas

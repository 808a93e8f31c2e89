import pytest

from sasaeai.projects.tests import helpers

D = helpers.D


@pytest.fixture
def themes(personas):
    return helpers.okayama_themes()


@pytest.fixture
def members(personas):
    """The own (津山市) and other (倉敷市) corporations joined the center on 2018-04-01; a
    third in 岡山市北区 joined on 2019-04-01; a fourth in 総社市 never joined."""
    from sasaeai.testing.factories import CorporationFactory

    ward = CorporationFactory(municipality_id="331015")
    soja = CorporationFactory(municipality_id="332089")
    helpers.join(personas.own_corporation, D(2018, 4, 1), personas.center)
    helpers.join(personas.other_corporation, D(2018, 4, 1), personas.center)
    helpers.join(ward, D(2019, 4, 1), personas.center)
    return {
        "own": personas.own_corporation,
        "other": personas.other_corporation,
        "ward": ward,
        "never": soja,
        "tottori": personas.tottori_corporation,
    }


@pytest.fixture
def project(themes):
    return helpers.model_project(themes)


@pytest.fixture
def tottori(personas):
    return helpers.tottori()

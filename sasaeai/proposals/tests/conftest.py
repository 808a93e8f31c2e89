import pytest

from sasaeai.projects import actions as project_actions
from sasaeai.projects.tests import helpers

D = helpers.D


@pytest.fixture(autouse=True)
def okayama_by_default(settings):
    settings.SASAEAI_DEFAULT_PREFECTURE = "33"


@pytest.fixture
def themes(personas):
    return helpers.okayama_themes()


@pytest.fixture
def finding(themes):
    committee = project_actions.save_committee(
        prefecture="33", name="子どもの居場所部会", theme=themes["T05"], formed_on=D(2018, 5, 1)
    )
    return project_actions.add_finding(
        committee=committee,
        title="学習支援の場は広げられる",
        text="施設の空き時間と地域の担い手で",
        found_on=D(2019, 2, 14),
    )


@pytest.fixture
def model_project(themes):
    project = helpers.model_project(themes)
    project_actions.set_status(project=project, status="running", effective_on=D(2018, 6, 1))
    return project


@pytest.fixture
def tottori(personas):
    return helpers.tottori()


@pytest.fixture
def draft(themes):
    from sasaeai.proposals import actions

    return actions.create_proposal(
        prefecture="33",
        title="子どもの学びと居場所への支援について",
        addressee_kind="prefecture",
        addressee="岡山県知事",
        text="送迎費用の助成を提言します。",
        themes=[themes["T05"]],
    )

import datetime

import pytest

from sasaeai.grants import actions
from sasaeai.grants.starting import load_starting_programs
from sasaeai.members import actions as member_actions
from sasaeai.members.models import MemberType
from sasaeai.networks.models import MunicipalNetwork
from sasaeai.projects.models import Theme
from sasaeai.testing.factories import CorporationFactory

CALL_FY = 2019
OPENS = datetime.date(2019, 4, 1)
CLOSES = datetime.date(2019, 5, 31)
APPLY_ON = datetime.date(2019, 4, 15)
DECIDE_ON = datetime.date(2019, 6, 20)


def join(corporation, by, on=datetime.date(2018, 6, 1)):
    member_actions.record_membership_event(
        member=corporation,
        kind="join",
        effective_date=on,
        by=by,
        member_type=MemberType.objects.get(code="basic-corporation"),
    )


def lines(*pairs, category="謝金"):
    return [{"fiscal_year": fy, "category": category, "amount": amount} for fy, amount in pairs]


@pytest.fixture
def grants(personas):
    """Okayama's two programs, a theme, a model-grant call in FY2019 and a network call."""
    model, network_program = load_starting_programs("33")
    theme = Theme.objects.create(prefecture_id="33", code="T04", name="就労準備支援")
    other_theme = Theme.objects.create(prefecture_id="33", code="T05", name="子どもの居場所")
    call = actions.open_call(
        program=model,
        fiscal_year=CALL_FY,
        title="令和元年度 モデル事業 募集",
        opens_on=OPENS,
        closes_on=CLOSES,
        themes=[theme, other_theme],
    )
    network_call = actions.open_call(
        program=network_program,
        fiscal_year=CALL_FY,
        title="令和元年度 ネットワークづくり助成 募集",
        opens_on=OPENS,
        closes_on=CLOSES,
    )
    members = [personas.own_corporation, personas.other_corporation]
    members += CorporationFactory.create_batch(3, municipality_id="332020")  # 倉敷市
    for corporation in members:
        join(corporation, personas.center)
    network = MunicipalNetwork.objects.create(prefecture_id="33", name="津山市社会福祉施設連絡会")
    network.area.set(["332038"])

    class Grants:
        pass

    g = Grants()
    g.personas = personas
    g.model = model
    g.network_program = network_program
    g.theme = theme
    g.other_theme = other_theme
    g.call = call
    g.network_call = network_call
    g.members = members
    g.network = network
    return g


def submitted(call, *, corporation=None, network=None, theme=None, amounts=((2019, 200_000),)):
    application = actions.create_application(
        call=call,
        corporation=corporation,
        network=network,
        theme=theme,
        title="テスト申請",
        lines=lines(*amounts),
        on=APPLY_ON,
    )
    return actions.submit_application(application=application, on=APPLY_ON)

"""Staff deciding at the same moment never break a rule: the decisions lock the program's row
and count the awards inside the lock. Real concurrency needs PostgreSQL's row locks (the SQLite
test database is in memory); CI runs this file on both, and it is skipped on SQLite."""

import threading

import pytest
from django.db import connection
from django.test import Client

from sasaeai.grants import actions
from sasaeai.grants.models import Decision
from sasaeai.testing.factories import CorporationFactory, center_staff

from .conftest import DECIDE_ON, join, submitted

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; the SQLite test database is in memory (CI runs both)",
    ),
    pytest.mark.django_db(transaction=True),
]


def decide_at_once(staff, applications, amounts):
    """Each of ``staff`` posts one decision through the API at the same moment; the status
    code and body of each, in the order of ``applications``."""
    clients = []
    for user in staff:
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(applications))
    outcomes: list = [None] * len(applications)

    def attempt(number):
        try:
            barrier.wait(timeout=30)
            response = clients[number].post(
                f"/api/v1/grant-applications/{applications[number].pk}/decide/",
                {"amounts": amounts, "decided_on": DECIDE_ON.isoformat()},
                content_type="application/json",
            )
            outcomes[number] = (response.status_code, response.json())
        except Exception as error:  # reported by the assertions on the outcomes
            outcomes[number] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(applications))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_staff_deciding_at_once_award_no_more_sites_per_theme_than_the_program_allows(grants):
    count = 8
    corporations = list(grants.members)
    for _ in range(count - len(corporations)):
        corporation = CorporationFactory(municipality_id="332020")
        join(corporation, grants.personas.center)
        corporations.append(corporation)
    applications = [
        submitted(grants.call, corporation=corporation, theme=grants.theme)
        for corporation in corporations
    ]
    center = grants.personas.okayama_center
    staff = [center_staff(center, username=f"center-{n}") for n in range(count)]

    outcomes = decide_at_once(staff, applications, {"2019": 100_000})

    codes = [outcome[0] for outcome in outcomes]
    assert codes.count(201) == grants.model.max_sites_per_theme == 3, outcomes
    refused = [body for code, body in outcomes if code != 201]
    assert [code for code in codes if code != 201] == [409] * (count - 3), outcomes
    assert {body["rule"] for body in refused} == {"sites_per_theme"}
    assert Decision.objects.filter(outcome="awarded", application__theme=grants.theme).count() == 3
    assert set(Decision.objects.values_list("decided_by__username", flat=True)) <= {
        user.username for user in staff
    }


def test_two_decisions_at_once_never_exceed_the_budget_of_a_fiscal_year(grants):
    actions.set_budget(program=grants.model, fiscal_year=2019, amount=300_000)
    applications = [
        submitted(grants.call, corporation=grants.members[0], theme=grants.theme),
        submitted(grants.call, corporation=grants.members[1], theme=grants.other_theme),
    ]
    center = grants.personas.okayama_center
    staff = [grants.personas.center, center_staff(center, username="center-second")]

    outcomes = decide_at_once(staff, applications, {"2019": 200_000})

    assert sorted(code for code, _body in outcomes) == [201, 409], outcomes
    (refused,) = [body for code, body in outcomes if code == 409]
    assert refused["rule"] == "budget"
    assert "300,000円" in refused["detail"]
    awarded = Decision.objects.filter(outcome="awarded")
    assert awarded.count() == 1
    assert sum(year.amount for d in awarded for year in d.years.all()) == 200_000

"""Results of a round: counts by question, cross-tabs with small cells hidden, years compared,
the plan's 「している」 KPI and the workbook, each in a fixed number of queries."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sasaeai.members import actions as member_actions
from sasaeai.members.models import MemberType, SectorGroup
from sasaeai.surveys import actions, definition, results
from sasaeai.surveys.models import Choice, Invitation
from sasaeai.testing.factories import CorporationFactory

pytestmark = pytest.mark.django_db
D = datetime.date

DEFINITION = {
    "code": "corporation-annual",
    "title": "地域における公益的な取組の実施状況調査",
    "fiscal_year": 2019,
    "sections": [
        {
            "title": "取組の状況",
            "questions": [
                {
                    "code": "q1",
                    "kind": "single",
                    "text": "地域における公益的な取組をしていますか",
                    "choices": [
                        {"code": "yes", "label": "している"},
                        {"code": "no", "label": "していない"},
                        {"code": "planned", "label": "予定している"},
                    ],
                },
                {
                    "code": "q2",
                    "kind": "multiple",
                    "text": "取組の内容",
                    "has_other": True,
                    "choices": [
                        {"code": "a", "label": "居場所づくり"},
                        {"code": "b", "label": "配食・見守り"},
                        {"code": "c", "label": "生活困窮者の相談"},
                    ],
                },
                {
                    "code": "q3",
                    "kind": "matrix",
                    "text": "取組の条件",
                    "rows": [
                        {"code": "r1", "label": "職員の理解"},
                        {"code": "r2", "label": "財源"},
                    ],
                    "choices": [{"code": "c1", "label": "十分"}, {"code": "c2", "label": "不十分"}],
                },
                {"code": "q4", "kind": "scale", "text": "満足度", "scale_min": 1, "scale_max": 5},
                {"code": "q5", "kind": "text", "text": "ご意見"},
            ],
        }
    ],
}


def deadline() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=30)


def new_round(survey, title="令和元年度 取組状況調査", *, kpi_choices=("yes",), kpi=True):
    return actions.create_round(
        survey=survey,
        title=title,
        target_kind="corporations",
        deadline=deadline(),
        kpi_question=survey.questions.get(code="q1") if kpi else None,
        kpi_choices=list(kpi_choices) if kpi else [],
    )


def answer(round_, corporation, raw, *, submit=True):
    invitation = Invitation.objects.get(round=round_, corporation=corporation)
    return actions.save_answers(invitation=invitation, raw=raw, submit=submit)


@pytest.fixture
def survey(personas):
    return definition.import_definition(DEFINITION, prefecture="33")


@pytest.fixture
def okayama(personas, survey):
    """Eight corporations of Okayama (鳥取's is not invited): 津山市 four (personas' own and
    three more), 倉敷市 two (personas' other and one more), 岡山市 two (北区 and 中区: wards
    folded into the city). Seven submit; 岡山市中区's only saves a draft."""
    elderly = SectorGroup.objects.get(code="elderly")
    children = SectorGroup.objects.get(code="children")
    t1 = personas.own_corporation
    t1.sector_group = elderly
    t1.save()
    k1 = personas.other_corporation
    k1.sector_group = children
    k1.save()
    t2, t3 = CorporationFactory.create_batch(2, municipality_id="332038", sector_group=elderly)
    t4 = CorporationFactory(municipality_id="332038")  # no sector group
    k2 = CorporationFactory(municipality_id="332020", sector_group=children)
    o1 = CorporationFactory(municipality_id="331015", sector_group=elderly)  # 岡山市北区
    o2 = CorporationFactory(municipality_id="331023")  # 岡山市中区, no sector group
    round_ = new_round(survey)
    _memberships(personas.center, round_, t1=t1, t2=t2, t3=t3, t4=t4, k1=k1, k2=k2)
    first = {"q1": "yes", "q2": ["a", "other"], "q2__other": "子ども食堂", "q3__r1": "c1"}
    answer(round_, t1, first | {"q3__r2": "c2", "q4": "4", "q5": "地域の声を聞きたい"})
    second = {"q1": "yes", "q2": ["a", "b"], "q3__r1": "c1", "q3__r2": "c1", "q4": "5"}
    answer(round_, t2, second | {"q5": "=1+1"})
    answer(round_, t3, {"q1": "no", "q2": ["b"], "q3__r1": "c2", "q4": "2"})
    answer(round_, t4, {"q1": "yes", "q2": ["a"], "q4": "3"})
    answer(round_, k1, {"q1": "planned", "q2": ["c"], "q3__r1": "c1"})
    answer(round_, k2, {"q1": "yes", "q2": ["a"]})
    answer(round_, o1, {"q1": "no"})
    answer(round_, o2, {"q1": "yes", "q2": ["a"], "q4": "1", "q5": "下書き"}, submit=False)
    corporations = {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "k1": k1, "k2": k2, "o1": o1, "o2": o2}
    return SimpleNamespace(survey=survey, round=round_, **corporations)


def _memberships(by, round_, **corporations):
    """Members on the deadline's date: t1, t2, t3 and k1. k2 withdrew before it; t4 joins
    the day after it."""
    basic = MemberType.objects.get(code="basic-corporation")

    def record(corporation, kind, date):
        member_actions.record_membership_event(
            member=corporation,
            kind=kind,
            effective_date=date,
            by=by,
            member_type=basic if kind == "join" else None,
        )

    for name in ("t1", "t2", "t3", "k1"):
        record(corporations[name], "join", D(2018, 6, 1))
    record(corporations["k2"], "join", D(2018, 4, 1))
    record(corporations["k2"], "withdraw", timezone.localdate())
    day_after = timezone.localdate(round_.deadline) + datetime.timedelta(days=1)
    record(corporations["t4"], "join", day_after)


# Counts ---------------------------------------------------------------------------------------


def test_the_response_rate_counts_only_submitted_responses(okayama):
    assert results.response_rate(okayama.round) == results.Rate(8, 7, 7 / 8)


def test_a_single_choice_is_counted_over_those_who_answered_it(okayama):
    assert results.question_counts(okayama.round, "q1") == [
        results.Row("yes", "している", 4, 4 / 7),
        results.Row("no", "していない", 2, 2 / 7),
        results.Row("planned", "予定している", 1, 1 / 7),
    ]


def test_multiple_choice_shares_are_of_respondents_and_can_sum_over_one(okayama):
    q2 = okayama.survey.questions.get(code="q2")
    rows = results.question_counts(okayama.round, q2)
    assert rows == [
        results.Row("a", "居場所づくり", 4, 4 / 6),
        results.Row("b", "配食・見守り", 2, 2 / 6),
        results.Row("c", "生活困窮者の相談", 1, 1 / 6),
        results.Row("other", "その他", 1, 1 / 6),
    ]
    assert sum(row.share for row in rows) == pytest.approx(8 / 6)


def test_a_matrix_is_counted_row_by_row(okayama):
    assert results.matrix_counts(okayama.round, "q3") == {
        "r1": [results.Row("c1", "十分", 3, 3 / 4), results.Row("c2", "不十分", 1, 1 / 4)],
        "r2": [results.Row("c1", "十分", 1, 1 / 2), results.Row("c2", "不十分", 1, 1 / 2)],
    }


def test_a_scale_is_summarised_without_the_drafts(okayama):
    summary = results.number_summary(okayama.round, "q4")
    assert summary == (4, 3.5, Decimal(2), Decimal(5))
    assert summary.mean == 3.5


def test_free_texts_are_listed_in_the_order_they_were_submitted(okayama):
    assert results.text_answers(okayama.round, "q5") == ["地域の声を聞きたい", "=1+1"]


def test_a_question_of_the_wrong_kind_or_survey_is_refused(okayama):
    with pytest.raises(ValueError):
        results.question_counts(okayama.round, "q4")
    with pytest.raises(ValueError):
        results.number_summary(okayama.round, "q1")
    copy = definition.copy_to_next_year(okayama.survey)
    with pytest.raises(ValueError):
        results.question_counts(okayama.round, copy.questions.get(code="q1"))


# Cross-tabs -----------------------------------------------------------------------------------


def _table(tab: results.CrossTab) -> list[tuple]:
    return [(row.label, row.total, row.counts) for row in tab.rows]


def test_the_crosstab_by_municipality_folds_wards_into_their_city(okayama):
    tab = results.crosstab(okayama.round, "q1", by="municipality", hide_small=False)
    assert tab.codes == ["yes", "no", "planned"]
    assert tab.columns == ["している", "していない", "予定している"]
    assert [row.key for row in tab.rows] == ["331007", "332020", "332038"]
    assert _table(tab) == [
        ("岡山市", 1, [0, 1, 0]),
        ("倉敷市", 2, [1, 0, 1]),
        ("津山市", 4, [3, 1, 0]),
    ]
    assert tab.rows[2].shares == [3 / 4, 1 / 4, 0]
    assert (tab.overall.total, tab.overall.counts) == (7, [4, 2, 1])


def test_shared_crosstabs_hide_cells_and_groups_of_fewer_than_three(okayama):
    tab = results.crosstab(okayama.round, "q1", by="municipality", hide_small=True)
    assert _table(tab) == [
        ("岡山市", None, [None, None, None]),
        ("倉敷市", None, [None, None, None]),
        ("津山市", 4, [3, None, None]),
    ]
    assert [row.hidden for row in tab.rows] == [True, True, False]
    assert tab.rows[0].shares == [None, None, None]
    assert tab.rows[2].shares == [3 / 4, None, None]
    assert (tab.overall.total, tab.overall.counts) == (7, [4, None, None])
    assert tab.overall.shares == [4 / 7, None, None]


def test_the_crosstab_by_sector_puts_corporations_without_a_group_under_a_dash(okayama):
    tab = results.crosstab(okayama.round, "q1", by="sector", hide_small=False)
    assert _table(tab) == [
        ("老人福祉", 4, [2, 2, 0]),
        ("児童福祉", 2, [1, 0, 1]),
        ("—", 1, [1, 0, 0]),
    ]


def test_the_crosstab_by_membership_reads_the_state_on_the_deadline(okayama):
    tab = results.crosstab(okayama.round, "q1", by="membership", hide_small=False)
    # Members: t1, t2, t3, k1; k2 withdrew before the deadline, t4 joins the day after it.
    assert _table(tab) == [("会員", 4, [2, 1, 1]), ("非会員", 3, [2, 1, 0])]
    assert [row.key for row in tab.rows] == [True, False]


def test_the_crosstab_by_another_question_groups_by_its_answers(okayama):
    tab = results.crosstab(okayama.round, "q1", by="question", other="q2", hide_small=False)
    assert _table(tab) == [
        ("居場所づくり", 4, [4, 0, 0]),
        ("配食・見守り", 2, [1, 1, 0]),
        ("生活困窮者の相談", 1, [0, 0, 1]),
        ("その他", 1, [1, 0, 0]),
    ]
    assert (tab.overall.total, tab.overall.counts) == (7, [4, 2, 1])


def test_a_multiple_choice_crosstab_counts_each_respondent_once_per_choice(okayama):
    tab = results.crosstab(okayama.round, "q2", by="municipality", hide_small=False)
    tsuyama = tab.rows[-1]
    assert (tsuyama.label, tsuyama.total, tsuyama.counts) == ("津山市", 4, [3, 2, 0, 1])
    assert sum(tsuyama.shares) == pytest.approx(1.5)


def test_a_crosstab_needs_a_known_grouping_and_another_choice_question(okayama):
    for by, other in (("prefecture", None), ("question", None), ("question", "q1")):
        with pytest.raises(ValueError):
            results.crosstab(okayama.round, "q1", by=by, other=other, hide_small=True)
    with pytest.raises(ValueError):
        results.crosstab(okayama.round, "q1", by="question", other="q5", hide_small=True)


def test_the_rate_is_tracked_by_municipality_and_by_sector_group(okayama):
    assert results.rate_by(okayama.round, "municipality") == [
        results.RateRow("331007", "岡山市", 2, 1, 1 / 2),
        results.RateRow("332020", "倉敷市", 2, 2, 1.0),
        results.RateRow("332038", "津山市", 4, 4, 1.0),
    ]
    elderly, children = SectorGroup.objects.filter(code__in=["elderly", "children"]).order_by(
        "sort_order"
    )
    assert results.rate_by(okayama.round, "kind") == [
        results.RateRow(elderly.pk, "老人福祉", 4, 4, 1.0),
        results.RateRow(children.pk, "児童福祉", 2, 2, 1.0),
        results.RateRow(None, "—", 2, 1, 1 / 2),
    ]


# Years and the KPI ----------------------------------------------------------------------------


@pytest.fixture
def next_year(okayama):
    """FY2020: last year's definition copied (「している」 renamed 「実施している」); three
    corporations submit, one only saves."""
    survey = definition.copy_to_next_year(okayama.survey)
    Choice.objects.filter(question__survey=survey, code="yes").update(label="実施している")
    round_ = new_round(survey, "令和2年度 取組状況調査")
    answer(round_, okayama.t1, {"q1": "yes"})
    answer(round_, okayama.t2, {"q1": "no"})
    answer(round_, okayama.t3, {"q1": "yes"})
    answer(round_, okayama.k1, {"q1": "yes"}, submit=False)
    return round_


def test_single_choice_figures_are_counted_in_one_pass_whatever_the_respondents(
    okayama, next_year, django_assert_num_queries
):
    """A single-choice question has one answer row per respondent: the cross-tab and the
    years compared are each one GROUP BY over the answers (plus the definition's lookups),
    and give the same figures as the general count of distinct respondents."""
    question = okayama.survey.questions.get(code="q1")
    # the choices, the round's definition sent once?, its drafts, the answers' counts by
    # place, the drafts' answers, the local governments
    with django_assert_num_queries(6):
        fast = results.crosstab(okayama.round, question, by="municipality", hide_small=False)
    from sasaeai.surveys.results import counts, crosstabs

    multiple = crosstabs._tally(
        counts._submitted_answers(okayama.round).filter(question=question),
        crosstabs._by_municipality("response__invitation__"),
    )
    assert [(g["key"], g["n"]) for g in multiple[0]] == [(r.key, r.total) for r in fast.rows]
    # rounds, questions, choices, the drafts, the answers' counts, the drafts' counts
    with django_assert_num_queries(6):
        results.year_over_year("corporation-annual", "q1", prefecture="33")


def test_years_counted_by_subtracting_drafts_equal_the_joined_count(
    okayama, next_year, monkeypatch
):
    """The drafts' answers subtracted from all the answers give the figures of the answers
    joined to their submitted responses (the way taken with many drafts)."""
    subtracted = results.year_over_year("corporation-annual", "q1", prefecture="33")
    from sasaeai.surveys.results import counts

    monkeypatch.setattr(counts, "SUBTRACT_AT_MOST", 0)
    joined = results.year_over_year("corporation-annual", "q1", prefecture="33")
    assert subtracted == joined
    assert [row.respondents for row in joined] == [7, 3]


def test_a_definition_sent_in_two_rounds_is_counted_per_round(okayama, survey):
    """Two rounds of one definition (say, corporations and facilities in one year): the
    answers of a question are no longer one round's, so they are joined to their rounds."""
    second = new_round(survey, "令和元年度 追加調査")
    answer(second, okayama.t1, {"q1": "no"})
    rows = results.year_over_year("corporation-annual", "q1", prefecture="33")
    assert [(row.round_id, row.respondents) for row in rows] == [
        (okayama.round.pk, 7),
        (second.pk, 1),
    ]
    assert rows[1].counts_by_choice_code == {"yes": 0, "no": 1, "planned": 0}


def test_years_are_compared_by_choice_code_with_the_newest_labels(okayama, next_year):
    rows = results.year_over_year("corporation-annual", "q1", prefecture="33")
    choices = (("yes", "実施している"), ("no", "していない"), ("planned", "予定している"))
    assert rows == [
        results.YearRow(
            2019,
            okayama.round.pk,
            7,
            {"yes": 4, "no": 2, "planned": 1},
            {"yes": 4 / 7, "no": 2 / 7, "planned": 1 / 7},
            choices,
        ),
        results.YearRow(
            2020,
            next_year.pk,
            3,
            {"yes": 2, "no": 1, "planned": 0},
            {"yes": 2 / 3, "no": 1 / 3, "planned": 0},
            choices,
        ),
    ]
    assert results.year_over_year("corporation-annual", "q1", prefecture="31") == []
    assert (
        results.year_over_year("corporation-annual", "q1", prefecture="33", kind="facilities") == []
    )


def test_the_kpi_sums_the_rounds_of_the_fiscal_year_that_name_a_kpi_question(okayama, next_year):
    # A second FY2019 round where 「予定している」 also counts, and one without a KPI.
    extra = new_round(okayama.survey, "追加調査", kpi_choices=["yes", "planned"])
    answer(extra, okayama.t1, {"q1": "planned"})
    answer(extra, okayama.t2, {"q1": "no"})
    answer(extra, okayama.t3, {"q1": "yes"}, submit=False)
    no_kpi = new_round(okayama.survey, "参考調査", kpi=False)
    answer(no_kpi, okayama.t1, {"q1": "yes"})

    assert results.kpi("33", 2019) == results.SurveyKpi(2019, 16, 9, 9 / 16, 5, 5 / 9)
    assert results.kpi("33", 2020) == results.SurveyKpi(2020, 8, 3, 3 / 8, 2, 2 / 3)


def test_a_year_without_rounds_has_no_kpi_share(okayama):
    assert results.kpi("33", 2018) == results.SurveyKpi(2018, 0, 0, None, 0, None)


# The workbook ---------------------------------------------------------------------------------


def _sheets(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    return workbook, {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def test_the_workbook_has_rates_counts_and_raw_answers_without_texts(okayama, english):
    workbook, sheets = _sheets(results.results_workbook(okayama.round, include_text=False))
    assert list(sheets) == ["回答状況", "設問別", "回答一覧"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
    assert sheets["回答状況"] == [
        ["Municipality", "Targets", "Responses", "Response rate"],
        ["岡山市", 2, 1, 0.5],
        ["倉敷市", 2, 2, 1],
        ["津山市", 4, 4, 1],
        ["Total", 8, 7, 0.875],
    ]
    counts = sheets["設問別"]
    assert counts[0][0] == "Question"
    assert [counts[1][i] for i in (0, 4, 5, 6)] == ["q1", "している", 7, 4]
    assert [counts[7][i] for i in (0, 2, 3, 5, 6)] == ["q2", None, "other", 6, 1]
    assert [counts[11][i] for i in (0, 2, 3, 5, 6)] == ["q3", "財源", "c2", 2, 1]
    assert len(counts) == 1 + 3 + 4 + 2 * 2
    answers = sheets["回答一覧"]
    assert answers[0][3:] == ["q1", "q2", "q3__r1", "q3__r2", "q4"]
    tsuyama = {row[0]: row for row in answers[1:] if row[1] == "津山市"}
    assert tsuyama[okayama.t1.name][3:] == ["yes", "a;other", "c1", "c2", 4]
    assert len(answers) == 1 + 7


def test_the_workbook_keeps_free_texts_as_texts_when_asked(okayama, english):
    workbook, sheets = _sheets(results.results_workbook(okayama.round, include_text=True))
    answers = sheets["回答一覧"]
    assert answers[0][3:] == ["q1", "q2", "q2__other", "q3__r1", "q3__r2", "q4", "q5"]
    by_name = {row[0]: row for row in answers[1:]}
    assert by_name[okayama.t1.name][5] == "子ども食堂"
    assert by_name[okayama.t1.name][9] == "地域の声を聞きたい"
    row = next(
        r for r in workbook["回答一覧"].iter_rows(min_row=2) if r[0].value == okayama.t2.name
    )
    assert (row[9].value, row[9].data_type) == ("=1+1", "s")


# Queries --------------------------------------------------------------------------------------


def _respondents(round_, corporations):
    for i, corporation in enumerate(corporations):
        raw = {"q1": ["yes", "no", "planned"][i % 3], "q2": ["a", "other"][: 1 + i % 2]}
        raw |= {"q2__other": "食堂", "q3__r1": "c1", "q3__r2": "c2", "q4": str(1 + i % 5)}
        answer(round_, corporation, raw | {"q5": f"意見{i}"})


# Each figure with the most queries it may take: the same for 3 respondents as for 30.
CALLS = [
    (1, lambda r: results.response_rate(r)),
    (4, lambda r: results.question_counts(r, "q2")),
    (4, lambda r: results.matrix_counts(r, "q3")),
    (2, lambda r: results.number_summary(r, "q4")),
    (2, lambda r: results.text_answers(r, "q5")),
    (6, lambda r: results.crosstab(r, "q1", by="municipality", hide_small=True)),
    (6, lambda r: results.crosstab(r, "q1", by="sector", hide_small=True)),
    (6, lambda r: results.crosstab(r, "q1", by="membership", hide_small=True)),
    (7, lambda r: results.crosstab(r, "q1", by="question", other="q2", hide_small=True)),
    (1, lambda r: results.rate_by(r, "municipality")),
    (1, lambda r: results.rate_by(r, "kind")),
    (4, lambda r: results.year_over_year("corporation-annual", "q1", prefecture="33")),
    (3, lambda r: results.kpi("33", 2019)),
    (8, lambda r: results.results_workbook(r, include_text=True)),
]


def test_results_take_as_many_queries_for_three_or_thirty_respondents(
    survey, django_assert_max_num_queries
):
    elderly = SectorGroup.objects.get(code="elderly")
    places = ["332038", "332020", "331015"]
    few = [CorporationFactory(municipality_id=places[i % 3]) for i in range(3)]
    small = new_round(survey, "少数")
    _respondents(small, few)
    many = [
        CorporationFactory(municipality_id=places[i % 3], sector_group=elderly) for i in range(27)
    ]
    large = new_round(survey, "多数")
    _respondents(large, few + many)
    assert results.response_rate(large).responses == 30

    counts: dict[int, list[int]] = {}
    for round_ in (small, large):
        round_ = type(round_).objects.get(pk=round_.pk)
        for index, (most, call) in enumerate(CALLS):
            with django_assert_max_num_queries(most) as queries:
                call(round_)
            counts.setdefault(index, []).append(len(queries))
    assert all(small_count == large_count for small_count, large_count in counts.values())


def test_the_migration_gives_each_response_its_invitations_place(okayama):
    """Responses made before the copy existed take their invitation's local government."""
    import importlib

    from django.apps import apps

    from sasaeai.surveys.models import Response

    migration = importlib.import_module("sasaeai.surveys.migrations.0003_response_municipality")
    Response.objects.update(municipality=None)
    migration.copy_municipality(apps, None)
    places = set(Response.objects.values_list("municipality_id", "invitation__municipality_id"))
    assert places and all(copied == original for copied, original in places)


def test_the_crosstab_from_the_answers_places_equals_the_joined_count(
    okayama, next_year, monkeypatch
):
    """Counted from each answer's copy of its place minus the drafts (o2 in 岡山市中区 only
    saved a draft), or joined to the submitted responses: the same table."""
    from sasaeai.surveys.results import counts

    read = results.crosstab(okayama.round, "q1", by="municipality", hide_small=False)
    monkeypatch.setattr(counts, "SUBTRACT_AT_MOST", 0)
    joined = results.crosstab(okayama.round, "q1", by="municipality", hide_small=False)
    assert read == joined
    assert _table(read)[0] == ("岡山市", 1, [0, 1, 0])


def test_a_crosstab_of_a_definition_sent_in_two_rounds_counts_its_own_round(okayama, survey):
    second = new_round(survey, "令和元年度 追加調査")
    answer(second, okayama.t1, {"q1": "no"})
    tab = results.crosstab(second, "q1", by="municipality", hide_small=False)
    assert _table(tab) == [("津山市", 1, [0, 1, 0])]
    first = results.crosstab(okayama.round, "q1", by="municipality", hide_small=False)
    assert (first.overall.total, first.overall.counts) == (7, [4, 2, 1])


def test_the_migration_gives_each_answer_its_responses_place(okayama):
    import importlib

    from django.apps import apps

    from sasaeai.surveys.models import Answer

    migration = importlib.import_module("sasaeai.surveys.migrations.0004_answer_municipality")
    Answer.objects.update(municipality=None)
    migration.copy_municipality(apps, None)
    places = set(Answer.objects.values_list("municipality_id", "response__municipality_id"))
    assert places and all(copied == original for copied, original in places)


def test_place_names_are_read_again_after_the_master_data_changes(
    regions, django_capture_on_commit_callbacks
):
    from sasaeai.regions.models import Municipality
    from sasaeai.surveys.results.crosstabs import _local_governments

    assert _local_governments({"332038"})["332038"]["label"] == "津山市"
    tsuyama = Municipality.objects.get(code="332038")
    with django_capture_on_commit_callbacks(execute=True):
        tsuyama.name = "津山市（改称）"
        tsuyama.save()
    assert _local_governments({"332038"})["332038"]["label"] == "津山市（改称）"

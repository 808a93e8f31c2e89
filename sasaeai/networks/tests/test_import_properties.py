"""Property tests of the network table import: whatever rows, encoding and dates it holds,
the import writes every row or refuses with row errors in Japanese and writes nothing;
importing a committed table again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from sasaeai.core.tabular import TableError
from sasaeai.networks.importing import ImportRefused, import_networks
from sasaeai.networks.models import MunicipalNetwork, StatusEntry
from sasaeai.testing.tables import (
    FORMATS,
    IMPORT_SETTINGS,
    assert_row_errors_in_japanese,
    bad_dates,
    fingerprint,
    suffix,
    table_bytes,
    texts,
    undecodable,
    written_dates,
)

pytestmark = pytest.mark.django_db

HEADER = ["市町村", "状況", "組織名", "設立日", "時点", "出典", "備考"]
MUNICIPALITIES = ["津山市", "倉敷市", "井原市", "総社市", "岡山県 高梁市"]
NOT_OKAYAMA = ["鳥取市", "架空町"]


def networks():
    return fingerprint(
        MunicipalNetwork.objects.all(),
        MunicipalNetwork.area.through.objects.all(),
        StatusEntry.objects.all(),
    )


def date_text(draw):
    return draw(
        st.one_of(
            st.just(""),
            written_dates().map(lambda written: written[1]),
            st.just("H29.10.10＊"),
            st.just("H31.3末"),
            bad_dates,
        )
    )


@st.composite
def network_rows(draw):
    municipality = draw(st.sampled_from(MUNICIPALITIES + NOT_OKAYAMA))
    status = draw(st.sampled_from(["設置済", "連絡会", "職員研修・局内検討", "活動中", "謎"]))
    name = draw(st.one_of(st.just(""), texts.map(lambda t: f"{t}連絡会")))
    founded, as_of = date_text(draw), date_text(draw)
    source = draw(st.sampled_from(["", "報告", "調査", "噂"]))
    note = draw(st.one_of(st.just(""), texts))
    return [municipality, status, name, founded, as_of, source, note]


def _import(fmt, data):
    return import_networks(io.BytesIO(data), prefecture="33", filename=f"networks.{suffix(fmt)}")


@IMPORT_SETTINGS
@given(rows=st.lists(network_rows(), min_size=1, max_size=6), fmt=st.sampled_from(FORMATS))
def test_a_network_table_is_imported_whole_or_not_at_all(regions, rows, fmt):
    data = table_bytes(fmt, HEADER, rows)
    with transaction.atomic():
        before = networks()
        try:
            _import(fmt, data)
        except ImportRefused as refusal:
            assert networks() == before, "a refused import wrote something"
            assert_row_errors_in_japanese(refusal.errors)
            event("refused")
        else:
            event("committed")
            after = networks()
            again = _import(fmt, data)
            assert (again.networks_created, again.networks_updated) == (0, 0)
            assert again.statuses_created == 0
            assert networks() == after
        transaction.set_rollback(True)


@IMPORT_SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(MUNICIPALITIES),
            written_dates(),
            texts.map(lambda t: f"{t}連絡会"),
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda row: row[0],
    ),
    fmt=st.sampled_from(FORMATS),
)
def test_a_valid_table_is_committed_with_every_row(regions, rows, fmt):
    # One network per municipality: a name shared with another row would be the same network.
    cells = [[m, "設置済", f"{m}{name}", text, "", "報告", ""] for m, (_, text), name in rows]
    with transaction.atomic():
        try:
            result = _import(fmt, table_bytes(fmt, HEADER, cells))
        except ImportRefused as refusal:
            pytest.fail(f"a valid table was refused: {[str(e) for e in refusal.errors]}")
        assert result.networks_created == len(rows)
        for municipality, (day, _), _ in rows:
            network = MunicipalNetwork.objects.get(area__name=municipality.split()[-1])
            assert network.established_on == day
        transaction.set_rollback(True)


def test_undecodable_bytes_are_refused_in_japanese_and_write_nothing(regions):
    before = networks()
    with pytest.raises(TableError) as refusal:
        import_networks(io.BytesIO(undecodable(HEADER)), prefecture="33", filename="x.csv")
    assert networks() == before
    assert any("\u3040" <= c <= "\u9fff" for c in str(refusal.value))

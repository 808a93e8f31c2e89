"""The trigram search, on an existing table with a folded column (networks' ``search_key``)."""

import pytest
from django.db import connection

from sasaeai.core.fulltext import NothingToSearch, TrigramIndex, ensure_sqlite_triggers, terms_of
from sasaeai.core.fulltext import fulltext_q as _fulltext_q
from sasaeai.networks.models import MunicipalNetwork

INDEX = "test_networks_fts"


class Editor:
    """What the operation needs of a schema editor, without leaving the test's transaction."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


class State:
    from django.apps import apps


def fulltext_q(query):
    return _fulltext_q("search_key", query, index=INDEX)


def names(query):
    found = MunicipalNetwork.objects.filter(fulltext_q(query)).values_list("name", flat=True)
    return sorted(found)


@pytest.fixture
def networks(db):
    # PostgreSQL builds no index on a table with deferred constraint checks pending: index first.
    TrigramIndex("municipalnetwork", "search_key", INDEX).database_forwards(
        "networks", Editor(), State, State
    )
    for name in [
        "ボランティア連絡会",
        "倉敷市社会福祉法人連絡会",
        "子ども食堂ネット",
        "ささえ愛ネット",
    ]:
        MunicipalNetwork.objects.create(prefecture_id="33", name=name)


def test_terms_are_folded_and_symbols_alone_are_not_a_term():
    assert terms_of("ﾎﾞﾗﾝﾃｨｱ　こども") == ["ボランティア", "コドモ"]
    assert terms_of("!!! ・・ 「」") == []
    with pytest.raises(NothingToSearch):
        fulltext_q("※※")
    with pytest.raises(NothingToSearch):
        fulltext_q("   ")


def test_half_width_kana_finds_full_width(networks):
    assert names("ﾎﾞﾗﾝﾃｨｱ") == ["ボランティア連絡会"]
    assert names("ぼらんてぃあ") == ["ボランティア連絡会"]


def test_one_and_two_characters_still_find(networks):
    assert names("倉") == ["倉敷市社会福祉法人連絡会"]
    assert names("食堂") == ["子ども食堂ネット"]
    assert names("連絡") == ["ボランティア連絡会", "倉敷市社会福祉法人連絡会"]


def test_every_term_must_match(networks):
    assert names("連絡会 倉敷") == ["倉敷市社会福祉法人連絡会"]
    assert names("連絡会 食堂") == []


def test_the_index_follows_inserts_updates_and_deletes(networks):
    network = MunicipalNetwork.objects.get(name="ささえ愛ネット")
    network.name = "ささえ愛フードネット"
    network.save()
    assert names("フードネット") == ["ささえ愛フードネット"]
    assert names("ささえ愛ネット") == []
    network.delete()
    assert names("フードネット") == []
    MunicipalNetwork.objects.create(prefecture_id="33", name="フードドライブ実行委員会")
    assert names("フードドライブ") == ["フードドライブ実行委員会"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers only")
def test_triggers_dropped_by_a_table_rebuild_are_restored(networks):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TRIGGER "{INDEX}_ai"')
    MunicipalNetwork.objects.create(prefecture_id="33", name="買い物支援ネットワーク")
    assert names("買い物支援") == []  # missed while the trigger was gone
    assert ensure_sqlite_triggers() == [INDEX]
    assert names("買い物支援") == ["買い物支援ネットワーク"]
    assert ensure_sqlite_triggers() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only")
def test_postgresql_searches_through_the_trigram_index(networks):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        queryset = MunicipalNetwork.objects.filter(fulltext_q("ボランティア"))
        plan = queryset.explain()
    assert INDEX in plan

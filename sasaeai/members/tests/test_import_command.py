"""``manage.py import_members`` and ``sasaeai import``: counts, or every row error and exit 1."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sasaeai.cli import main as sasaeai
from sasaeai.core.hojin import make_corporate_number
from sasaeai.members.models import Corporation, ImportJob

from .test_importing import CORPORATION_HEADER, corporation_row, number, wrong_check_digit

pytestmark = pytest.mark.django_db


def write(path: Path, rows: list[list[str]], header=CORPORATION_HEADER, encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_members", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refuse(*args: str) -> tuple[str, str]:
    """Run a command that must refuse; return its message and what it printed on stderr."""
    before = Corporation.objects.count(), ImportJob.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_members", *args, stdout=io.StringIO(), stderr=err)
    assert (Corporation.objects.count(), ImportJob.objects.count()) == before
    return str(error.value), err.getvalue()


def test_imports_and_prints_the_counts_and_progress(regions, tmp_path, english):
    path = write(tmp_path / "c.csv", [corporation_row(n) for n in range(1, 4)])
    out, err = run("corporations", str(path), "--prefecture", "33")
    assert "3 rows: 3 created, 0 updated, 0 unchanged." in out
    assert "3 / 3 rows checked" in err
    assert Corporation.objects.count() == 3
    again, _ = run("corporations", str(path), "--prefecture", "33")
    assert "3 rows: 0 created, 0 updated, 3 unchanged." in again


def test_a_dry_run_writes_nothing(regions, tmp_path, english):
    path = write(tmp_path / "c.csv", [corporation_row(1)])
    out, _ = run("corporations", str(path), "--prefecture", "33", "--dry-run")
    assert "1 created" in out
    assert "nothing was written" in out
    assert not Corporation.objects.exists()


def test_row_errors_are_printed_one_per_line_in_japanese_and_nothing_is_written(regions, tmp_path):
    rows = [corporation_row(1), [wrong_check_digit(2), "会", "", "架空市", "", ""]]
    path = write(tmp_path / "c.csv", rows)
    for dry_run in ([], ["--dry-run"]):
        message, err = refuse("corporations", str(path), "--prefecture", "33", *dry_run)
        lines = [line for line in err.splitlines() if "行目" in line]
        assert len(lines) == 2
        assert lines[0].startswith(f"3行目 法人番号「{wrong_check_digit(2)}」: ")
        assert lines[1].startswith("3行目 市町村「架空市」: ")
        assert "2" in message


def test_quiet_prints_no_progress(regions, tmp_path):
    path = write(tmp_path / "c.csv", [corporation_row(1)])
    err = io.StringIO()
    call_command(
        "import_members", "corporations", str(path), "--prefecture", "33",
        verbosity=0, stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    assert err.getvalue() == ""


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0" + bytes(508) + "EncryptedPackage".encode("utf-16-le"), "password"),
        ("法人番号,法人名\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_clear_line(regions, tmp_path, english, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    message, _ = refuse("corporations", str(path), "--prefecture", "33")
    assert len(message.splitlines()) == 1
    assert "bad.csv" in message
    assert words in message


def test_a_file_over_the_size_limit_is_refused(regions, tmp_path, english):
    path = write(tmp_path / "big.csv", [corporation_row(n) for n in range(1, 200)])
    message, _ = refuse("corporations", str(path), "--prefecture", "33", "--max-size", "0.001")
    assert "too large" in message


def test_a_missing_file_is_one_line(regions, tmp_path):
    message, _ = refuse("corporations", str(tmp_path / "nowhere.csv"), "--prefecture", "33")
    assert "nowhere.csv" in message


def test_missing_columns_are_named_and_can_be_mapped(regions, tmp_path, english):
    path = write(tmp_path / "c.csv", [[number(1), "会", "津山市"]], header=["番号", "名前", "まち"])
    message, _ = refuse("corporations", str(path), "--prefecture", "33")
    assert "Required columns are missing" in message
    assert "法人番号" in message
    mapping = ["--map", "番号=法人番号", "--map", "名前=name", "--map", "まち=市町村"]
    out, _ = run("corporations", str(path), "--prefecture", "33", *mapping)
    assert "1 created" in out


def test_a_mapping_to_an_unknown_column_is_refused(regions, tmp_path, english):
    path = write(tmp_path / "c.csv", [corporation_row(1)])
    message, _ = refuse("corporations", str(path), "--prefecture", "33", "--map", "x=宇宙")
    assert "宇宙" in message


def test_an_unknown_prefecture_is_refused(regions, tmp_path):
    path = write(tmp_path / "c.csv", [corporation_row(1)])
    message, _ = refuse("corporations", str(path), "--prefecture", "99")
    assert "99" in message


def test_the_prefecture_defaults_to_the_only_center(personas, tmp_path, english):
    path = write(tmp_path / "c.csv", [corporation_row(1)])
    out, _ = run("corporations", str(path))
    assert "1 created" in out


def test_facilities_are_imported_after_their_corporations(regions, tmp_path, english):
    corporations = write(tmp_path / "c.csv", [corporation_row(1)])
    facilities = write(
        tmp_path / "f.csv", [[number(1), "園", "津山市"]], header=["法人番号", "施設名", "市町村"]
    )
    _message, err = refuse("facilities", str(facilities), "--prefecture", "33")
    assert "Import it first" in err
    run("corporations", str(corporations), "--prefecture", "33")
    out, _ = run("facilities", str(facilities), "--prefecture", "33")
    assert "1 created" in out


def test_sasaeai_import_exits_non_zero_with_the_errors(regions, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SASAEAI_ENV", "test")
    path = write(tmp_path / "c.csv", [[wrong_check_digit(2), "会", "", "津山市", "", ""]])
    assert sasaeai(["import", "corporations", str(path), "--prefecture", "33"]) == 1
    err = capsys.readouterr().err
    assert f"2行目 法人番号「{wrong_check_digit(2)}」" in err
    assert err.strip().splitlines()[-1].startswith("sasaeai: ")
    assert not Corporation.objects.exists()
    good = write(tmp_path / "good.csv", [corporation_row(1)])
    assert sasaeai(["import", "corporations", str(good), "--prefecture", "33"]) == 0
    assert Corporation.objects.count() == 1


# 100,000 rows, through the real command on a SQLite file ---------------------------------------

ROWS = 100_000
HEADER = ["法人番号", "法人名", "フリガナ", "代表者", "郵便番号", "所在地", "電話番号", "市町村"]
HEADER += ["種別協議会", "設立年月日"]
MUNICIPALITIES = ["岡山市北区", "倉敷市", "津山市", "玉野市", "真庭市", "33346", "矢掛町", "新庄村"]


def write_large_file(path: Path) -> None:
    with path.open("w", encoding="cp932", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for n in range(ROWS):
            writer.writerow([
                make_corporate_number(f"{600000000000 + n}"), f"社会福祉法人ﾃｽﾄ福祉会{n}",
                f"ﾃｽﾄﾌｸｼｶｲ{n}", "岡山 太郎", "700-0807", f"南方{n}-1", "086-000-0000",
                MUNICIPALITIES[n % len(MUNICIPALITIES)], ("老人福祉", "保育", "")[n % 3],
                f"H{1 + n % 30}.4.1",
            ])  # fmt: skip


def sasaeai_cli(*args: str, data_dir: Path) -> tuple[subprocess.CompletedProcess, float]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DJANGO_"))}
    environment.pop("DATABASE_URL", None)
    environment["SASAEAI_DATA_DIR"] = str(data_dir)
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "sasaeai.cli", *args],
        capture_output=True, text=True, env=environment, timeout=300, check=False,
    )  # fmt: skip
    return result, time.perf_counter() - started


@pytest.mark.slow
def test_a_100000_row_file_is_previewed_and_imported_well_within_a_minute(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for setup in (["manage", "migrate", "-v0"], ["manage", "load_regions", "-v0"]):
        assert sasaeai_cli(*setup, data_dir=data)[0].returncode == 0
    path = tmp_path / "corporations.csv"
    write_large_file(path)
    command = ["import", "corporations", str(path), "--prefecture", "33"]
    preview, preview_seconds = sasaeai_cli(*command, "--dry-run", data_dir=data)
    assert preview.returncode == 0, preview.stderr
    assert f"{ROWS}" in preview.stdout
    commit, commit_seconds = sasaeai_cli(*command, data_dir=data)
    assert commit.returncode == 0, commit.stderr
    again, again_seconds = sasaeai_cli(*command, data_dir=data)
    assert again.returncode == 0, again.stderr
    assert f"{ROWS}" in again.stdout
    assert "0" in again.stdout
    print(  # the measured numbers, for the record (pytest -s)
        f"\n100k corporations on SQLite: preview {preview_seconds:.1f} s "
        f"({ROWS / preview_seconds:,.0f} rows/s), commit {commit_seconds:.1f} s "
        f"({ROWS / commit_seconds:,.0f} rows/s), re-import {again_seconds:.1f} s"
    )
    assert preview_seconds + commit_seconds < 60

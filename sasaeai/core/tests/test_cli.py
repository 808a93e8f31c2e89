"""The sasaeai command refuses bad configuration in one clear line, and the demo is re-runnable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GOOD_SECRET = "s" * 64


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DJANGO_"))}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(  # noqa: S603 — our own command, fixed arguments
        [sys.executable, "-m", "sasaeai.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def assert_one_line_refusal(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert words in lines[0]


def test_production_refuses_to_start_without_a_secret():
    result = run_cli("serve", DEBUG="false")
    assert_one_line_refusal(result, "SECRET_KEY")


def test_production_refuses_to_start_with_debug_on():
    result = run_cli("serve", DEBUG="true", SECRET_KEY=GOOD_SECRET)
    assert_one_line_refusal(result, "DEBUG")


def test_a_broken_database_url_is_named_in_one_line():
    result = run_cli("manage", "check", DATABASE_URL="nosuchdb://x")
    assert_one_line_refusal(result, "DATABASE_URL")


def test_an_unreachable_database_is_reported_in_one_line():
    result = run_cli("manage", "migrate", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert_one_line_refusal(result, "database")


@pytest.mark.slow
def test_demo_twice_keeps_what_the_user_changed_and_reset_starts_over(tmp_path):
    env = {"SASAEAI_DATA_DIR": str(tmp_path)}
    first = run_cli("demo", "--no-serve", **env)
    assert first.returncode == 0, first.stderr
    assert "center-okayama" in first.stdout
    assert "市町村域ネット: 新規 7 状況 11" in first.stdout  # the seed's page 11, imported
    figures = (
        "import datetime; from sasaeai.networks.kpis import network_figures as f;"
        "x=f(prefecture='33', as_of=datetime.date(2019,3,31));"
        "y=f(prefecture='33', as_of=datetime.date(2018,3,31));"
        "print(x.established, x.municipalities_engaged, x.municipalities_none, y.established)"
    )
    printed = run_cli("manage", "shell", "-c", figures, **env).stdout.strip().splitlines()[-1]
    assert printed.split() == ["7", "18", "9", "5"]
    rename = (
        "from sasaeai.members.models import Corporation as C;"
        "c=C.objects.get(corporate_number__endswith='900000000001');"
        "c.name='利用者が変えた名前';c.save()"
    )
    assert run_cli("manage", "shell", "-c", rename, **env).returncode == 0
    second = run_cli("demo", "--no-serve", **env)
    assert second.returncode == 0, second.stderr
    assert "新規デモアカウント: 0" in second.stdout
    assert "市町村域ネット: 新規 0 状況 0" in second.stdout  # importing again changes nothing
    show = (
        "from sasaeai.members.models import Corporation as C;"
        "print(sorted(C.objects.values_list('name', flat=True)))"
    )
    assert "利用者が変えた名前" in run_cli("manage", "shell", "-c", show, **env).stdout
    reset = run_cli("demo", "--no-serve", "--reset", **env)
    assert reset.returncode == 0, reset.stderr
    assert "新規デモアカウント: 5" in reset.stdout
    assert "利用者が変えた名前" not in run_cli("manage", "shell", "-c", show, **env).stdout


@pytest.mark.slow
def test_serve_runs_gunicorn_in_production_mode(tmp_path):
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "SECRET_KEY": GOOD_SECRET,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "SASAEAI_DATA_DIR": str(tmp_path),
    }
    prepare = [("migrate",), ("collectstatic", "--noinput"), ("load_regions",)]
    for command in prepare:
        result = run_cli("manage", *command, SASAEAI_ENV="production", **env)
        assert result.returncode == 0, result.stderr
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DJANGO_"))}
    environment.update(env)
    server = subprocess.Popen(  # noqa: S603 — our own command, fixed arguments
        [
            sys.executable,
            "-m",
            "sasaeai.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.3)
        # As nginx forwards it after TLS: Django then knows the request was secure.
        behind_tls = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(behind_tls, timeout=5) as r:  # noqa: S310
            html = r.read().decode()
            assert r.headers["Strict-Transport-Security"].startswith("max-age=")
        assert "気運づくり" in html
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/css/sasaeai.css", timeout=5
        ) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_options_after_a_passthrough_subcommand_reach_the_django_command(tmp_path):
    env = {"SASAEAI_DATA_DIR": str(tmp_path)}
    assert run_cli("manage", "migrate", "-v", "0", **env).returncode == 0
    result = run_cli("generate", "--scale", "tiny", "--seed", "3", **env)
    assert result.returncode == 0, result.stderr
    assert "unrecognized arguments" not in result.stderr

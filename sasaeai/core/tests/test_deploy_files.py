"""The deployment recipe in deploy/ agrees with the code: the commands the systemd units run
exist and take those arguments, the environment file names what the settings read, and nginx
lets through the largest upload and serves collectstatic's folder. (tools/deploy-check.sh runs
the recipe itself, in CI.)"""

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.test import override_settings

import sasaeai
from sasaeai.cli import build_parser

REPO = Path(sasaeai.__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
UNITS = DEPLOY / "systemd"
SASAEAI = "/opt/sasaeai/.venv/bin/sasaeai"
# Read by a program other than the settings and the `sasaeai` command.
READ_ELSEWHERE = {"GUNICORN_CMD_ARGS": "gunicorn"}


def exec_starts() -> list:
    found = []
    for unit in sorted(UNITS.glob("*.service")):
        for line in unit.read_text(encoding="utf-8").splitlines():
            if line.startswith("ExecStart="):
                command = line.removeprefix("ExecStart=")
                label = f"{unit.name}: {command.removeprefix(SASAEAI).strip()}"
                found.append(pytest.param(unit.name, command, id=label))
    return found


def env_example() -> dict[str, str]:
    text = (DEPLOY / "sasaeai.env.example").read_text(encoding="utf-8")
    return dict(re.findall(r"^#?([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.M))


def variables_read_by(module: Path) -> set[str]:
    source = module.read_text(encoding="utf-8")
    readers = r"os\.environ\.get|os\.environ\.setdefault|os\.getenv|env_bool|env_list"
    called = re.findall(rf'(?:{readers})\(\s*"([A-Z][A-Z0-9_]*)"', source)
    indexed = re.findall(r'os\.environ\["([A-Z][A-Z0-9_]*)"\]', source)
    return set(called) | set(indexed)


def nginx_conf() -> str:
    return (DEPLOY / "nginx" / "sasaeai.conf").read_text(encoding="utf-8")


@pytest.mark.parametrize(("unit", "command"), exec_starts())
# As in production: prune_db_task_results refuses any other backend.
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_each_unit_runs_a_sasaeai_command_that_exists_with_those_arguments(unit, command):
    program, subcommand, *arguments = shlex.split(command.replace("%i", "33"))
    assert program == SASAEAI, unit
    subcommands = build_parser()._subparsers._group_actions[0].choices
    assert subcommand in subcommands, f"{unit}: sasaeai has no subcommand {subcommand!r}"
    if subcommand == "manage":
        name, *arguments = arguments
        assert name in get_commands(), f"{unit}: no management command {name!r}"
        command_class = load_command_class(get_commands()[name], name)
        command_class.create_parser("sasaeai manage", name).parse_args(arguments)
    elif subcommand not in {"serve", "worker"}:
        subcommands[subcommand].parse_args(arguments)


def test_every_daily_job_has_its_timer_and_every_timer_its_job():
    jobs = {p.stem for p in UNITS.glob("*.service")} - {"sasaeai", "sasaeai-worker"}
    timers = {p.stem for p in UNITS.glob("*.timer")}
    assert jobs == timers
    for timer in UNITS.glob("*.timer"):
        text = timer.read_text(encoding="utf-8")
        assert re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d:00 Asia/Tokyo$", text, re.M), timer.name
        assert "Persistent=true" in text, timer.name


def test_every_unit_reads_the_environment_file_and_writes_only_the_data_folder():
    data_dir = env_example()["SASAEAI_DATA_DIR"]
    for unit in UNITS.glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/sasaeai/sasaeai.env" in text, unit.name
        assert "ProtectSystem=strict" in text, unit.name
        assert f"ReadWritePaths={data_dir}" in text, unit.name
        assert "User=sasaeai" in text, unit.name


def test_the_environment_example_names_every_variable_the_settings_read():
    read_by_settings = variables_read_by(REPO / "sasaeai" / "settings.py")
    assert read_by_settings - set(env_example()) == set()


def test_every_variable_of_the_environment_example_is_read_by_someone():
    modules = [p for p in (REPO / "sasaeai").rglob("*.py") if "tests" not in p.parts]
    read = set().union(*(variables_read_by(module) for module in modules))
    unread = set(env_example()) - read - set(READ_ELSEWHERE)
    assert unread == set(), "nothing reads these variables"


def test_the_example_is_a_production_environment_that_needs_only_a_secret():
    example = env_example()
    assert example["SASAEAI_ENV"] == "production"
    assert example["SECRET_KEY"] == ""  # install.sh writes one; none is ever shared
    assert example["ALLOWED_HOSTS"] in example["SASAEAI_SITE_URL"]
    assert example["CSRF_TRUSTED_ORIGINS"] == example["SASAEAI_SITE_URL"]


def test_nginx_lets_the_largest_upload_through_and_little_more():
    from sasaeai.casebook.actions import MAX_PHOTO_BYTES
    from sasaeai.core.tabular import DEFAULT_MAX_BYTES
    from sasaeai.core.uploads import MAX_BYTES
    from sasaeai.publishing.files import MAX_PDF_BYTES

    largest = max(DEFAULT_MAX_BYTES, MAX_BYTES, MAX_PDF_BYTES, MAX_PHOTO_BYTES)
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", nginx_conf()).group(1))
    assert largest < megabytes * 1024 * 1024 <= largest + 10 * 1024 * 1024


def test_nginx_serves_collectstatic_folder_and_proxies_to_the_bind_address():
    example = env_example()
    conf = nginx_conf()
    assert set(re.findall(r"alias ([^;$]+)", conf)) == {f"{example['SASAEAI_DATA_DIR']}/static/"}
    assert f"server {example['SASAEAI_BIND']};" in conf
    assert not [place for place in re.findall(r"location ([^{]+)", conf) if "media" in place]
    gunicorn_timeout = int(re.search(r"--timeout (\d+)", example["GUNICORN_CMD_ARGS"]).group(1))
    nginx_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", conf).group(1))
    assert gunicorn_timeout < nginx_timeout


@pytest.mark.parametrize(
    ("shell", "script"),
    [
        ("sh", "deploy/install.sh"),
        ("sh", "deploy/upgrade.sh"),
        ("sh", "deploy/sasaeai-admin"),
        ("bash", "tools/deploy-check.sh"),
    ],
)
def test_the_scripts_parse(shell, script):
    result = subprocess.run([shell, "-n", REPO / script], capture_output=True, text=True)  # noqa: S603
    assert result.returncode == 0, result.stderr

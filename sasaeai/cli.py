"""The ``sasaeai`` command: demo, serve, worker, import, generate, geo, backup, restore, manage.

Configuration mistakes end in one line on standard error and exit status 2, never a traceback:
a person starting a server needs to read what to fix, not where Python was.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

CONFIG_ERROR = 2


def _fail(message: str) -> int:
    print(f"sasaeai: 設定エラー / configuration error: {message}", file=sys.stderr)
    return CONFIG_ERROR


def _setup_django(env: str) -> None:
    """Select the settings profile and set Django up; configuration errors propagate."""
    os.environ.setdefault("SASAEAI_ENV", env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sasaeai.settings")
    import django

    django.setup()


def _run_guarded(env: str, action) -> int:
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup_django(env)
        from django.db import DatabaseError

        try:
            return action() or 0
        except DatabaseError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            return _fail(f"database error: {first_line}")
    except ImproperlyConfigured as error:
        return _fail(str(error))


def _demo(args: argparse.Namespace) -> int:
    def action() -> int:
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from sasaeai.demo import load_demo, print_logins

        database = Path(settings.DATABASES["default"]["NAME"])
        if connection.vendor != "sqlite":
            return _fail("sasaeai demo uses the embedded SQLite database; unset DATABASE_URL.")
        if args.reset:
            _reset_sqlite(database)
        database.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("compilemessages_py", verbosity=0)
        summary = load_demo()
        print(summary)
        print_logins(args.port)
        if args.no_serve:
            return 0
        call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
        return 0

    os.environ.setdefault(
        "SASAEAI_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
    )
    return _run_guarded("development", action)


def _reset_sqlite(database: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = database.with_name(database.name + suffix)
        if candidate.exists():
            candidate.unlink()
    print(f"--reset: {database} を削除し、最初から作り直します。")


def _serve(args: argparse.Namespace) -> int:
    def action() -> int:
        from django.core.management import call_command

        call_command("check", deploy=True, fail_level="ERROR", verbosity=0)
        bind = args.bind or os.environ.get("SASAEAI_BIND", "127.0.0.1:8000")
        workers = str(args.workers or os.environ.get("WEB_CONCURRENCY", "3"))
        gunicorn = [sys.executable, "-m", "gunicorn", "sasaeai.wsgi:application"]
        # Replace this process with gunicorn so that signals from systemd reach it directly.
        os.execv(sys.executable, [*gunicorn, "--bind", bind, "--workers", workers])  # noqa: S606
        return 0

    return _run_guarded("production", action)


def _worker(args: argparse.Namespace) -> int:
    def action() -> int:
        from sasaeai.core.taskqueue import run_worker

        run_worker(list(args.extra))
        return 0

    return _run_guarded("production", action)


def _command(name: str):
    """A subcommand that runs one management command with the arguments given."""

    def handler(args: argparse.Namespace) -> int:
        def action() -> int:
            from django.core.management import call_command
            from django.core.management.base import CommandError

            try:
                call_command(name, *args.extra)
            except CommandError as error:
                print(f"sasaeai: {error}", file=sys.stderr)
                return getattr(error, "returncode", 1)
            return 0

        return _run_guarded("development", action)

    return handler


def _geo(args: argparse.Namespace) -> int:
    """``sasaeai geo import FILE ...`` runs ``import_geo FILE ...``."""
    action, *rest = args.extra or [""]
    if action != "import":
        print(
            "usage: sasaeai geo import FILE [--prefecture 33] [--tolerance 0.001]", file=sys.stderr
        )
        return CONFIG_ERROR
    return _command("import_geo")(argparse.Namespace(extra=rest))


def _manage(args: argparse.Namespace) -> int:
    def action() -> int:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["sasaeai manage", *args.extra])
        return 0

    return _run_guarded("development", action)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sasaeai", description="Sasae-ai (ささえ愛): 地域公益活動推進センターのシステム"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="デモを準備して http://127.0.0.1:8000 で起動します")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--reset", action="store_true", help="デモのデータベースを作り直します")
    demo.add_argument("--no-serve", action="store_true", help="準備だけしてサーバーは起動しません")
    demo.set_defaults(handler=_demo)

    serve = commands.add_parser("serve", help="本番サーバー (gunicorn) を起動します")
    serve.add_argument("--bind", help="host:port (default $SASAEAI_BIND or 127.0.0.1:8000)")
    serve.add_argument("--workers", type=int)
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="バックグラウンドタスクを実行します")
    worker.add_argument("extra", nargs=argparse.REMAINDER)
    worker.set_defaults(handler=_worker)

    importer = commands.add_parser(
        "import",
        help="法人・施設の一覧 (.xlsx / CSV) を取り込みます: import corporations|facilities FILE",
        add_help=False,
    )
    importer.add_argument("extra", nargs=argparse.REMAINDER)
    importer.set_defaults(handler=_command("import_members"))

    generate = commands.add_parser(
        "generate",
        help="架空のデータを生成します: generate --scale okayama|national",
        add_help=False,
    )
    generate.add_argument("extra", nargs=argparse.REMAINDER)
    generate.set_defaults(handler=_command("generate_data"))

    geo = commands.add_parser(
        "geo",
        help="市区町村の境界 (国土数値情報 N03) を取り込みます: geo import FILE",
        add_help=False,
    )
    geo.add_argument("extra", nargs=argparse.REMAINDER)
    geo.set_defaults(handler=_geo)

    backup = commands.add_parser(
        "backup",
        help="データベースとアップロードファイルを1つの保存ファイルに書き出します:"
        " backup [PATH] [--keep N]",
        add_help=False,
    )
    backup.add_argument("extra", nargs=argparse.REMAINDER)
    backup.set_defaults(handler=_command("backup"))

    restore = commands.add_parser(
        "restore",
        help="保存ファイルを空のデータベースに復元し、確かめます: restore ARCHIVE [--check]",
        add_help=False,
    )
    restore.add_argument("extra", nargs=argparse.REMAINDER)
    restore.set_defaults(handler=_command("restore"))

    manage = commands.add_parser("manage", help="Django の管理コマンドを実行します", add_help=False)
    manage.add_argument("extra", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=_manage)
    return parser


# Subcommands whose arguments belong to a Django command: handed over unparsed, so that
# ``sasaeai generate --scale okayama`` reaches ``generate_data`` as typed. ``restore`` runs no
# migrations first: it needs an empty database.
PASSTHROUGH = {
    "import": "import_members",
    "generate": "generate_data",
    "backup": "backup",
    "restore": "restore",
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PASSTHROUGH:
        return _command(PASSTHROUGH[argv[0]])(argparse.Namespace(extra=argv[1:]))
    if argv and argv[0] == "geo":
        return _geo(argparse.Namespace(extra=argv[1:]))
    if argv and argv[0] in {"manage", "worker"}:
        handler = _manage if argv[0] == "manage" else _worker
        return handler(argparse.Namespace(extra=argv[1:]))
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

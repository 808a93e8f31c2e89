"""``sasaeai backup [PATH] [--keep N]``: one archive of the database and the uploaded files."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from sasaeai.core.backup import BackupError, prune, write_backup


def at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("--keep must be 1 or more")
    return number


def default_folder() -> Path:
    return Path(os.environ.get("SASAEAI_BACKUP_DIR") or Path(settings.DATA_DIR) / "backups")


class Command(BaseCommand):
    help = (
        "Write a consistent archive of the database (pg_dump, or SQLite's online backup) and of "
        "MEDIA_ROOT, with a manifest and a SHA-256 of every member, as sasaeai-YYYYMMDD-HHMMSS.tar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="a folder (default $SASAEAI_BACKUP_DIR, else $SASAEAI_DATA_DIR/backups) "
            "or a file name ending in .tar",
        )
        parser.add_argument(
            "--keep", type=at_least_one, help="then delete all but the N newest archives"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path=None, keep=None, database=DEFAULT_DB_ALIAS, **options):
        target = Path(path) if path else default_folder()
        if keep and target.suffix == ".tar" and not target.is_dir():
            raise CommandError(
                "--keep は保存先がフォルダのときだけ使えます / --keep needs a folder"
            )
        try:
            archive = write_backup(
                connection=connections[database],
                media_root=Path(settings.MEDIA_ROOT),
                target=target,
            )
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        except OSError as error:
            raise CommandError(
                f"バックアップを書けませんでした / could not write the backup: {error}",
                returncode=1,
            ) from None
        deleted = prune(archive.parent, keep=keep) if keep else []
        if options["verbosity"] > 0:
            size = archive.stat().st_size
            self.stdout.write(f"バックアップ / backup: {archive} ({size:,} bytes)")
            for old in deleted:
                self.stdout.write(f"削除 / deleted: {old}")

"""``sasaeai restore ARCHIVE``: into an empty database and an empty media folder, verified."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from sasaeai.core.backup import BackupError, restore_backup, verify_archive


class Command(BaseCommand):
    help = (
        "Restore an archive of `backup` into an EMPTY database and media folder (no migrations "
        "run first), then read the tables and files back against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a sasaeai-YYYYMMDD-HHMMSS.tar")
        parser.add_argument(
            "--check", action="store_true", help="only verify the archive's checksums"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, archive, check=False, database=DEFAULT_DB_ALIAS, **options):
        try:
            if check:
                manifest = verify_archive(Path(archive))
                database, media = manifest["database"], manifest["media"]
                self.stdout.write(
                    f"正常 / intact: {archive} ({manifest['created_at']}, {database['vendor']},"
                    f" {len(database['tables'])} tables, {sum(database['tables'].values()):,} rows,"
                    f" {media['files']} files)"
                )
                return
            report = restore_backup(
                Path(archive),
                connection=connections[database],
                media_root=Path(settings.MEDIA_ROOT),
            )
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        if options["verbosity"] > 0:
            self.stdout.write(
                f"復元し、確認しました / restored and verified: {report.tables} tables,"
                f" {report.rows:,} rows, {report.files} files ({report.bytes:,} bytes)"
            )
        if report.pending_migrations:
            self.stdout.write(
                f"未適用のマイグレーション {len(report.pending_migrations)} 件:"
                " `sasaeai manage migrate` を実行してください /"
                f" {len(report.pending_migrations)} migrations to apply:"
                " run `sasaeai manage migrate`"
            )

"""A private, throw-away PostgreSQL cluster for the load-and-fault bench (bench/load.py).

The fault bench restarts PostgreSQL in the middle of the load. The machine's own cluster is
shared with other work, so the bench makes its own with Debian's binaries
(``/usr/lib/postgresql/<version>/bin``) in a temporary directory, on a free port of 127.0.0.1,
run as the ``postgres`` OS user when the bench runs as root (the server refuses root), and
removes it at the end, whatever happened.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")


def binaries() -> Path | None:
    """The newest installed ``bin`` directory of Debian's PostgreSQL packages, or None."""
    found = sorted(
        (p / "bin" for p in PG_ROOT.glob("*") if (p / "bin" / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def unavailable_reason() -> str | None:
    """Why a private cluster cannot be made here (None when it can)."""
    if binaries() is None:
        return f"no PostgreSQL server binaries under {PG_ROOT}"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root without runuser"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateCluster:
    """``initdb`` + ``pg_ctl`` in a temporary directory; trust authentication on loopback."""

    def __init__(self, *, fsync: bool = False) -> None:
        self.bin = binaries()
        self.root = Path(tempfile.mkdtemp(prefix="sasaeai-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.fsync = fsync
        self.running = False
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.root.chmod(0o755)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *command: str, check: bool = True) -> str:
        full = [str(self.bin / command[0]), *command[1:]]
        if self._as_postgres:
            full = ["runuser", "-u", "postgres", "--", *full]
        # pg_ctl's server inherits the output: a file, not a pipe, or the call never returns.
        with tempfile.TemporaryFile("w+") as output:
            done = subprocess.run(full, stdout=output, stderr=subprocess.STDOUT, check=False)  # noqa: S603
            output.seek(0)
            text = output.read()
        if check and done.returncode:
            tail = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {text.strip()}\n{tail}")
        return text

    def start(self) -> PrivateCluster:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-instructions",
        )  # fmt: skip
        options = [
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.root}",
            "-c max_connections=100",
            "-c shared_buffers=64MB",
            f"-c fsync={'on' if self.fsync else 'off'}",
            "-c synchronous_commit=on",
            "-c full_page_writes=off",
        ]
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-o",
            " ".join(options),
            "start",
        )
        self.running = True
        return self

    def restart(self, *, mode: str = "fast") -> float:
        """Stop (``fast``: connections ended, as ``systemctl restart`` does; ``immediate``: as a
        crash) and start again; the seconds it took."""
        started = time.monotonic()
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "restart")
        return time.monotonic() - started

    def createdb(self, name: str) -> str:
        self._run(
            "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-T", "template0", "-E", "UTF8", name,
        )  # fmt: skip
        return f"{self.url}/{name}"

    def dump(self, database: str, target: Path) -> None:
        """``pg_dump -Fc`` of ``database`` into ``target`` (written by the server's user)."""
        staged = self.root / "dump.pgc"
        self._run("pg_dump", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "-Fc", "-f", str(staged), database)  # fmt: skip
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged, target)

    def restore(self, database: str, source: Path) -> str:
        """A new ``database`` restored from a ``pg_dump -Fc`` file."""
        url = self.createdb(database)
        staged = self.root / "restore.pgc"
        shutil.copyfile(source, staged)
        staged.chmod(0o644)
        self._run("pg_restore", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "-d", database, "--no-owner", str(staged))  # fmt: skip
        staged.unlink()
        return url

    def psql(self, database: str, sql: str) -> str:
        return self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
            "-At", "-c", sql,
        ).strip()  # fmt: skip

    def stop(self) -> None:
        """Stop the server (immediately) and remove its directory; safe to call twice."""
        if self.running and self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop", check=False)
        self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PrivateCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL 15 cluster, then remove the cluster.

    scripts/with_postgres.py .venv/bin/python -m pytest

The cluster is created with initdb in a temporary folder, listens on a free loopback port,
and is stopped and deleted afterwards whatever happens. As root, the server runs as the
`postgres` user (PostgreSQL refuses to run as root). DATABASE_URL is set for the command.

Without PostgreSQL binaries, it says why and exits 0 (the PostgreSQL run is skipped), except
under CI=true where it fails.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def find_bindir() -> str | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for path in candidates:
        if os.path.exists(os.path.join(path, "initdb")):
            return path
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def try_install() -> None:
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("PostgreSQL absent : installation du paquet Debian postgresql-15…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql-15"],
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    bindir = find_bindir()
    if bindir is None:
        try_install()
        bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            print("ERREUR : PostgreSQL 15 est introuvable et obligatoire en CI.", file=sys.stderr)
            return 1
        print("PostgreSQL introuvable : la série de tests PostgreSQL est ignorée (skipped).")
        return 0

    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    workdir = tempfile.mkdtemp(prefix="entrepairs-pg-")
    datadir = os.path.join(workdir, "data")
    if as_root:
        shutil.chown(workdir, "postgres")
        os.chmod(workdir, 0o700)
    port = free_port()
    pg_ctl = os.path.join(bindir, "pg_ctl")
    try:
        subprocess.run(
            [
                *run_as,
                os.path.join(bindir, "initdb"),
                "-D",
                datadir,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "-N",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [
                *run_as,
                pg_ctl,
                "-D",
                datadir,
                "-o",
                options,
                "-l",
                os.path.join(workdir, "server.log"),
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"PostgreSQL jetable démarré sur 127.0.0.1:{port}", flush=True)
        env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/postgres"}
        started = time.monotonic()
        code = subprocess.run(argv, env=env).returncode
        print(f"Durée sur PostgreSQL : {time.monotonic() - started:.0f} s")
        return code
    finally:
        subprocess.run(
            [*run_as, pg_ctl, "-D", datadir, "-m", "immediate", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

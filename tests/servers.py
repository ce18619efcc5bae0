"""Real servers the integration tests start and stop themselves."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import redis

from lms.embedded_redis import server_args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_server():
    """A real redis-server on a free loopback port, stopped on exit; yields its URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="ladder-redis-") as directory:
        process = subprocess.Popen(
            server_args(port=port, directory=Path(directory)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            _wait_for_redis(url, process)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for_redis(url: str, process: subprocess.Popen) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.2)
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError("redis-server exited at start")
        try:
            if client.ping():
                return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not answer")


def _postgres_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (make test installs it with apt)")
    return str(found[-1])


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb refuses to run as root; CI runs as root, a developer usually not.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server():
    """A private PostgreSQL cluster on a free loopback port, removed on exit; yields its DATABASE_URL."""
    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="ladder-pg-"))
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    initdb = [
        _postgres_bin("initdb"),
        "-D",
        str(data),
        "-A",
        "trust",
        "-U",
        "ladder",
        "-E",
        "UTF8",
        "--no-sync",
    ]
    subprocess.run(_as_postgres_user(initdb), check=True, stdout=subprocess.DEVNULL)
    options = (
        f"-p {port} -k {directory} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=60"
    )
    pg_ctl = [_postgres_bin("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(directory / "log")]
    subprocess.run(_as_postgres_user([*pg_ctl, "start"]), check=True, stdout=subprocess.DEVNULL)
    createdb = [_postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "ladder", "ladder"]
    subprocess.run(createdb, check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgres://ladder@127.0.0.1:{port}/ladder"
    finally:
        subprocess.run(
            _as_postgres_user([*pg_ctl, "-m", "fast", "stop"]), check=False, stdout=subprocess.DEVNULL
        )
        shutil.rmtree(directory, ignore_errors=True)

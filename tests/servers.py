"""Real servers the integration tests start and stop themselves."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import redis

from lms.embedded_redis import server_args


def wait_until(predicate, seconds: float = 30.0) -> bool:
    """Whether the predicate came true within the time (polled every 0.1 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


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


ROOT = Path(__file__).resolve().parent.parent
LRS_REQUIREMENTS = ROOT / "tests" / "integration" / "lrs-requirements.txt"
LRS_VENV = Path(os.environ.get("LADDER_LRS_VENV", ROOT / "var" / "lrs-venv"))


def lrs_venv() -> Path:
    """Ralph's own virtualenv (made once from the pinned list; `make test` makes it first)."""
    python = LRS_VENV / "bin" / "python"
    marker = LRS_VENV / "installed.txt"
    wanted = LRS_REQUIREMENTS.read_text()
    if not python.exists() or not marker.exists() or marker.read_text() != wanted:
        subprocess.run([sys.executable, "-m", "venv", str(LRS_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(LRS_REQUIREMENTS)], check=True
        )
        marker.write_text(wanted)
    return python


# Ralph's file store writes each file once unless told to append (its default suits one import, not a
# store that receives statements all day); everything else (validation, ids, conflicts) is Ralph's own.
RALPH_LAUNCHER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend
FSDataBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


# Writes Ralph's users file: one user with every scope, its password kept as a bcrypt hash.
RALPH_USER = """
import bcrypt, json, sys
hashed = bcrypt.hashpw(sys.argv[2].encode(), bcrypt.gensalt()).decode()
agent = {"mbox": "mailto:ladder@example.org"}
user = {"agent": agent, "scopes": ["all"], "username": sys.argv[1], "hash": hashed}
json.dump([user], open(sys.argv[3], "w"))
"""


class RalphLRS:
    """A real learning record store (Ralph, file backend) on loopback, stopped and started at will.

    The statements it stores stay in its directory across restarts, as a real store's would.
    """

    def __init__(self, directory: Path, username: str = "ladder"):
        self.python = lrs_venv()
        self.directory, self.username, self.password = directory, username, secrets.token_urlsafe(16)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        (directory / "data").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(self.python), "-c", RALPH_USER, username, self.password, str(directory / "auth.json")],
            check=True,
        )

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        env = {
            **os.environ,
            "RALPH_APP_DIR": str(self.directory),
            "RALPH_AUTH_FILE": str(self.directory / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.directory / "data"),
        }
        self.process = subprocess.Popen(
            [str(self.python), "-c", RALPH_LAUNCHER, str(self.port)],
            cwd=self.directory,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.directory / "ralph.log", "ab"),  # noqa: SIM115 - the process owns it
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.directory / "ralph.log").read_text()[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("Ralph did not start listening within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def statements(self) -> list[dict]:
        """Every statement the store holds, read back through its own xAPI GET (following `more`)."""
        import base64
        import json
        import urllib.request

        login = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        found, url = [], f"{self.endpoint}/statements?limit=100"
        while url:
            headers = {"Authorization": f"Basic {login}", "X-Experience-API-Version": "1.0.3"}
            request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our loopback server
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our loopback server
                page = json.load(answer)
            found += page["statements"]
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return found

"""Real servers the integration tests start and stop themselves."""

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

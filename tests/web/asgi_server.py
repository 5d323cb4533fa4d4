"""A real daphne for the browser tests that need WebSockets (the chat room).

pytest-django's ``live_server`` is WSGI only. This daphne runs in its own
process on the test's database: PostgreSQL as it is, SQLite as the file the
root conftest makes of the test database (an in-memory one is invisible to
another process). Without Redis the server's channel layer is its own, so what
must reach open sockets (a cancellation, a log-out) is done through this
server, as a real user or host would; with REDIS_URL the test process's
services reach its sockets too.
"""

from pathlib import Path

from tests.realtime.servers import start_daphne, stop


def server_env() -> dict[str, str]:
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    return {
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL or "",
        "REDIS_PREFIX": settings.REDIS_PREFIX,
        "DEBUG": "false",
    }


class AsgiServer:
    def __init__(self, log: Path):
        self.log = log
        self.process, self.port = start_daphne(server_env(), log=log)
        self.url = f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def errors(self) -> list[str]:
        """Tracebacks the server logged (a 500, a consumer crash)."""
        return [chunk for chunk in self.output().split("\n\n") if "Traceback" in chunk]

    def stop(self) -> None:
        stop(self.process)

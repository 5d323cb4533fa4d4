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

from tests.realtime.servers import database_url_of_this_run, start_daphne, stop


def server_env() -> dict[str, str]:
    from django.conf import settings

    return {
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DATABASE_URL": database_url_of_this_run(),
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

from django.contrib.sessions.backends import cached_db

from backend.accounts.auth_backends import upgrade_backend_path


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict:
        return upgrade_backend_path(super().load())

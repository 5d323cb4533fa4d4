from django.contrib.sessions.backends import db

from backend.accounts.auth_backends import upgrade_backend_path


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        return upgrade_backend_path(super().load())

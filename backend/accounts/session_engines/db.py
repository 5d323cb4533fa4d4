from django.contrib.sessions.backends import db

from backend.accounts.auth_backends import upgrade_backend_path
from backend.accounts.session_engines import FixedSqlRead, ForgetsEndedTokens


class SessionStore(ForgetsEndedTokens, FixedSqlRead, db.SessionStore):
    def load(self) -> dict:
        return upgrade_backend_path(super().load())

"""Django's session engines, with logins of the old backend paths carried over
and the session read in fixed SQL.

``SESSION_ENGINE`` names one of these modules; each loads a session as Django's
own engine does and then rewrites a backend path of before
``backend.accounts.auth_backends`` to the new one (see there).
"""

from functools import cache

from django.db import connections
from django.utils import timezone

from backend.accounts import recent_tokens


@cache
def _session_sql(alias: str, table: str) -> str:
    quote = connections[alias].ops.quote_name
    # Only our own table name is interpolated; values are parameters.
    return (
        f"SELECT session_key, session_data, expire_date FROM {quote(table)} "  # noqa: S608
        "WHERE session_key = %s AND expire_date > %s"
    )


class FixedSqlRead:
    """Django's ``_get_session_from_db`` as one raw statement: every
    authenticated request and socket reads its session, and the ORM's
    ``objects.get`` spent 200 µs of CPU building a query the database answers
    in 15 (docs/performance.md, issue 14). Same row, same result."""

    def _get_session_from_db(self):
        if not self.session_key:
            return None
        alias = self.model.objects.db
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sql = _session_sql(alias, self.model._meta.db_table)
        found = list(self.model.objects.raw(sql, [self.session_key, now]))
        if not found:
            self._session_key = None
            return None
        return found[0]


class ForgetsEndedTokens:
    """A session ended here (log-out, account deletion, a new key at log-in)
    is dropped from this process's memory of tokens at once."""

    def delete(self, session_key=None):
        recent_tokens.forget_token(session_key or self.session_key)
        super().delete(session_key)

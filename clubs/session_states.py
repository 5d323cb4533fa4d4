"""What one user sees of a page of sessions, in one statement of fixed SQL.

Every session a member is shown carries its places left, the waitlist's
length, the member's own registration and whether they host it. Built by the
ORM as annotations (a counting subquery, a ``FilteredRelation`` join, an
``Exists``), the list query cost milliseconds of CPU per request to construct
and compile, twice with the pagination's COUNT, for values the database
reads by index in well under one (docs/performance.md, issue 14). So a page
is read first and this fills it in. The statement is plain SQL that SQLite
and PostgreSQL both run; only our own table and column names are
interpolated, values are parameters.
"""

from functools import lru_cache

from django.db import connections

from clubs.models import PLACE_HOLDING, Club, Registration, Session

_GONE = (0, 0, None, None, None, False)


@lru_cache(maxsize=128)  # one text per page length: at most the page size
def _states_sql(alias: str, count: int) -> str:
    quote = connections[alias].ops.quote_name
    session = quote(Session._meta.db_table)
    registration = quote(Registration._meta.db_table)
    hosts = quote(Club.hosts.through._meta.db_table)
    holding = ", ".join(f"%(holding_{i})s" for i in range(len(PLACE_HOLDING)))
    ids = ", ".join(f"%(session_{i})s" for i in range(count))
    return (
        "SELECT s.id, "  # noqa: S608
        f"(SELECT COUNT(*) FROM {registration} g "
        f"WHERE g.session_id = s.id AND g.status IN ({holding})), "
        f"(SELECT COUNT(*) FROM {registration} g "
        "WHERE g.session_id = s.id AND g.status = %(waitlisted)s), "
        "mine.status, mine.waitlist_position, mine.check_in_code, "
        f"EXISTS (SELECT 1 FROM {hosts} h "
        "WHERE h.club_id = s.club_id AND h.user_id = %(user)s) "
        f"FROM {session} s LEFT JOIN {registration} mine "
        "ON mine.session_id = s.id AND mine.user_id = %(user)s "
        "AND mine.status <> %(cancelled)s "
        f"WHERE s.id IN ({ids})"
    )


def with_session_states(sessions: list[Session], *, user_id: int) -> list[Session]:
    """Give each session ``taken`` (places held), ``places_left``,
    ``waitlist_length``, the user's ``my_status``, ``my_waitlist_position``
    and ``my_check_in_code`` (None without a live registration) and
    ``is_host``."""
    if not sessions:
        return sessions
    alias = Session.objects.db
    params = {
        "user": user_id,
        "waitlisted": Registration.Status.WAITLISTED,
        "cancelled": Registration.Status.CANCELLED,
    }
    params |= {f"holding_{i}": status for i, status in enumerate(PLACE_HOLDING)}
    params |= {f"session_{i}": s.pk for i, s in enumerate(sessions)}
    with connections[alias].cursor() as cursor:
        cursor.execute(_states_sql(alias, len(sessions)), params)
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    for session in sessions:
        # A session deleted since its page was read shows as empty.
        taken, waiting, status, position, code, hosted = found.get(session.pk, _GONE)
        session.places_left = (
            0
            if session.status == Session.Status.CANCELLED
            else max(session.capacity - taken, 0)
        )
        session.taken = taken
        session.waitlist_length = waiting
        session.my_status = status
        session.my_waitlist_position = position
        session.my_check_in_code = code
        session.is_host = bool(hosted)
    return sessions

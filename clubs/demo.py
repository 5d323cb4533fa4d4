"""Demo clubs for local use: `make run` loads them (idempotently)."""

from datetime import time

from django.utils import timezone

from backend.accounts.models import User
from backend.api.errors import ApiError
from clubs.models import Club, Registration, Session
from clubs.services.registrations import registration_create
from clubs.services.sessions import session_generate_for_club
from exercises.models import Exercise

DEMO_CLUBS = [
    {
        "name": "Latviešu sarunu klubs Rīgā",
        "description": (
            "Runājam latviski par ikdienu: iepirkšanās, ārsts, darbs. "
            "Iesācējiem (A1–A2); vada brīvprātīgais Jānis."
        ),
        "language": "lv",
        "level_min": "A1",
        "level_max": "A2",
        "city": "riga",
        "address": "Rīgas Centrālā bibliotēka, Brīvības iela 49/53, Rīga",
        "online": False,
        "online_url": "",
        "weekday": 2,  # Wednesday
        "start_time": time(18, 0),
        "duration_minutes": 90,
        "capacity": 10,
    },
    {
        "name": "Latviešu valoda tiešsaistē (B1)",
        "description": "Sarunas tiešsaistē par ziņām un kultūru (B1).",
        "language": "lv",
        "level_min": "B1",
        "level_max": "B1",
        "city": "riga",
        "address": "",
        "online": True,
        "online_url": "https://meet.jit.si/runa-demo-latviesu-b1",
        "weekday": 0,  # Monday
        "start_time": time(19, 0),
        "duration_minutes": 60,
        "capacity": 8,
    },
]


def seed() -> list[str]:
    host = User.objects.filter(email="volunteer@runa.test").first()
    newcomer = User.objects.filter(email="newcomer@runa.test").first()
    if host is None:
        return []
    lines = []
    for data in DEMO_CLUBS:
        club, _ = Club.objects.update_or_create(name=data["name"], defaults=data)
        club.hosts.add(host)
        created = session_generate_for_club(club=club, weeks=4)
        lines.append(f"club {club.name!r}: {created} new session(s)")
    riga = Club.objects.get(name=DEMO_CLUBS[0]["name"])
    next_session = (
        Session.objects.filter(
            club=riga, status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    if next_session is not None and not next_session.exercises.exists():
        # The topic's exercise pack: attendees get it in their review queue.
        next_session.topic = next_session.topic or "Iepirkšanās tirgū"
        next_session.save(update_fields=["topic", "updated_at"])
        pack = Exercise.objects.filter(
            language="lv", level__in=["A1", "A2"], is_active=True
        ).order_by("key")[:5]
        next_session.exercises.set(pack)
    if newcomer is not None and next_session is not None:
        has_place = next_session.registrations.filter(
            user=newcomer, status=Registration.Status.CONFIRMED
        ).exists()
        if not has_place:
            try:
                registration_create(session_id=next_session.pk, user=newcomer)
            except ApiError as error:
                lines.append(f"newcomer not signed up: {error.message}")
        lines.append(
            f"newcomer@runa.test has a place on {next_session.starts_at:%Y-%m-%d}"
        )
    return lines

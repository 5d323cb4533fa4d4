"""Demo accounts for local use: `make run` loads them (idempotently)."""

from backend.accounts.models import User, VolunteerStatus
from backend.accounts.services import user_email_mark_verified

DEMO_PASSWORD = "runa-demo-2026"  # noqa: S105 (documented local demo login)

DEMO_USERS = [
    {
        "email": "staff@runa.test",
        "display_name": "Ilze (city staff)",
        "is_staff": True,
        "is_superuser": True,
        "interface_language": "lv",
    },
    {
        "email": "volunteer@runa.test",
        "display_name": "Jānis",
        "volunteer_status": VolunteerStatus.APPROVED,
        "interface_language": "lv",
        "level": "C2",
        "native_languages": ["lv"],
    },
    {
        "email": "newcomer@runa.test",
        "display_name": "Olena",
        "interface_language": "uk",
        "level": "A2",
        "native_languages": ["uk"],
    },
]


def seed() -> list[str]:
    """Create or refresh the demo users; returns lines describing the logins."""
    lines = []
    for data in DEMO_USERS:
        fields = {k: v for k, v in data.items() if k != "email"}
        user, created = User.objects.update_or_create(
            email=data["email"], defaults=fields
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user_email_mark_verified(user=user)
        lines.append(f"{user.email} / {DEMO_PASSWORD}  ({user.display_name})")
    return lines

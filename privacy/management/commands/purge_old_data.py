from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.services import purge_old_data


class Command(BaseCommand):
    help = (
        "Delete what is past its retention period: chat messages older than "
        "CHAT_RETENTION_DAYS, unverified dormant accounts older than "
        "UNVERIFIED_ACCOUNT_RETENTION_DAYS, and ended sessions' check-in codes "
        "and online links. Idempotent; run daily. Prints what it removed."
    )

    def handle(self, *args, **options) -> None:
        counts = purge_old_data()
        self.stdout.write(
            f"purge_old_data (messages older than {settings.CHAT_RETENTION_DAYS} "
            "days, unverified accounts older than "
            f"{settings.UNVERIFIED_ACCOUNT_RETENTION_DAYS} days):"
        )
        for name, value in counts.as_dict().items():
            self.stdout.write(f"  {name}: {value}")

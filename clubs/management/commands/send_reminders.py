from django.core.management.base import BaseCommand

from clubs.services.reminders import reminder_send_due


class Command(BaseCommand):
    help = (
        "E-mail confirmed participants 24 hours and 1 hour before their session. "
        "Run every few minutes; never sends a reminder twice, even when two "
        "runs overlap."
    )

    def handle(self, *args, **options) -> None:
        run = reminder_send_due()
        self.stdout.write(
            f"{run.sent} reminder(s) sent, {run.skipped} taken by another run, "
            f"{run.failed} failed (retried next run)."
        )

from django.core.management.base import BaseCommand, CommandError

from clubs.services.sessions import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    session_complete_ended,
    session_generate_all,
)


class Command(BaseCommand):
    help = (
        "Create the sessions of the coming weeks from every active club's "
        "schedule (idempotent), and mark ended sessions completed. Run daily."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--weeks",
            type=int,
            default=DEFAULT_WEEKS,
            help=f"How many weeks ahead (1-{MAX_WEEKS}, default {DEFAULT_WEEKS}).",
        )

    def handle(self, *args, weeks: int, **options) -> None:
        if not 1 <= weeks <= MAX_WEEKS:
            raise CommandError(f"--weeks must be between 1 and {MAX_WEEKS}.")
        created = session_generate_all(weeks=weeks)
        completed = session_complete_ended()
        self.stdout.write(
            f"{created} session(s) created, {completed} marked completed."
        )

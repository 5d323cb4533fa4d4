from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exercises.services.content import ContentInvalid, content_import


class Command(BaseCommand):
    help = (
        "Import exercise content (YAML files or directories; see docs/content.md). "
        "Validates everything first: on any error, lists every one as "
        "'file: key: reason' and changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args, paths: list[Path], **options) -> None:
        try:
            report = content_import(paths=paths)
        except ContentInvalid as error:
            for line in error.errors:
                self.stderr.write(line)
            raise CommandError(
                f"{len(error.errors)} error(s); nothing was imported."
            ) from None
        for line in report.lines():
            self.stdout.write(line)

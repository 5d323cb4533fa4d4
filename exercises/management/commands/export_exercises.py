from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exercises.content_format import LANGUAGE_RE
from exercises.services.content import content_export


class Command(BaseCommand):
    help = (
        "Export a language's exercises to OUTDIR in the import format: "
        "OUTDIR/topics.yaml and OUTDIR/<language>/*.yaml."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--language", required=True)
        parser.add_argument("outdir", type=Path)

    def handle(self, *args, language: str, outdir: Path, **options) -> None:
        if not LANGUAGE_RE.match(language):
            raise CommandError("--language must be a two-letter code, e.g. lv.")
        written = content_export(language=language, outdir=outdir)
        self.stdout.write(f"{len(written)} file(s) written to {outdir}")

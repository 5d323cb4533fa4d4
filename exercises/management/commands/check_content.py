from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exercises import content_check
from exercises.content_format import LANGUAGE_RE


class Command(BaseCommand):
    help = (
        "Check content packs without importing them: structure, keys, spelling "
        "with the pack's dictionary, choice distractors, translations; print the "
        "coverage of level × topic × kind. Exits non-zero on errors."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--language", help="one pack, e.g. lv (default: every pack)"
        )
        parser.add_argument(
            "--content-dir",
            type=Path,
            default=content_check.CONTENT_DIR,
            help="the directory with topics.yaml and the packs",
        )
        parser.add_argument(
            "--strict", action="store_true", help="fail on warnings too"
        )
        parser.add_argument(
            "--no-spelling", action="store_true", help="skip the hunspell check"
        )

    def handle(self, *args, language, content_dir, strict, no_spelling, **options):
        if language is not None and not LANGUAGE_RE.match(language):
            raise CommandError("--language must be a two-letter code, e.g. lv")
        if not content_dir.is_dir():
            raise CommandError(f"{content_dir} is not a directory")
        packs = [language] if language else content_check.languages(content_dir)
        failed = []
        for code in packs:
            report = content_check.check_language(
                code, content_dir=content_dir, spelling=not no_spelling
            )
            self.stdout.write(f"== {code}: {len(report.items)} items")
            for line in content_check.coverage_lines(report):
                self.stdout.write(line)
            words = report.words_per_level()
            self.stdout.write(
                "distinct words: "
                + ", ".join(f"{level} {count}" for level, count in words.items())
            )
            for line in report.errors:
                self.stderr.write(f"error: {line}")
            for line in report.warnings:
                self.stderr.write(f"warning: {line}")
            self.stdout.write(
                f"{code}: {len(report.errors)} error(s), "
                f"{len(report.warnings)} warning(s)"
            )
            if report.failed(strict=strict):
                failed.append(code)
        if failed:
            raise CommandError(f"content check failed: {', '.join(failed)}")

"""Compile every app's translations (.po) into the .mo files Django reads.

One script for the Makefile and the Dockerfile, so the image ships the same
translations as ``make run``: the project's ``locale/`` and each app's
``<app>/locale/``. Compiled files are build output (ignored by git).

Like ``pybabel compile``: fuzzy entries are left out, and a catalog whose
header is marked fuzzy is an error (it would ship untranslated).

    python scripts/compile_translations.py [--root DIR] [--force]
"""

import argparse
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def po_files(root: Path) -> list[Path]:
    """The project's and every app's catalogs, in a stable order."""
    patterns = ("locale/*/LC_MESSAGES/*.po", "*/locale/*/LC_MESSAGES/*.po")
    return sorted({path for pattern in patterns for path in root.glob(pattern)})


def compile_catalog(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parents[1].name)
    if catalog.fuzzy:
        raise ValueError(f"{po}: the catalog is marked fuzzy")
    problems = [
        f"{po}:{message.lineno}: {error}"
        for message, errors in catalog.check()
        for error in errors
    ]
    if problems:
        raise ValueError("\n".join(problems))
    with mo.open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    return mo


def compile_all(root: Path = ROOT, *, force: bool = False) -> list[Path]:
    """Compile the catalogs whose .mo is missing or older; returns those made."""
    made = []
    for po in po_files(root):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        made.append(compile_catalog(po))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--force", action="store_true", help="recompile all")
    args = parser.parse_args(argv)
    if not po_files(args.root):
        print(f"No translations found under {args.root}", file=sys.stderr)
        return 1
    try:
        made = compile_all(args.root, force=args.force)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    for mo in made:
        print(f"compiled {mo.relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

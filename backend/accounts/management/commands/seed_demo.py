from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app with demo data has a `demo.seed()` returning lines to print.
# Order matters: clubs need users, rooms need sessions.
DEMO_MODULES = ["backend.accounts", "exercises", "clubs", "realtime"]


class Command(BaseCommand):
    help = "Load the demo data (idempotent: safe to run on every start)."

    def handle(self, *args, **options) -> None:
        self.stdout.write("Demo logins (local use only):")
        for app in DEMO_MODULES:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                lines = module.seed() or []
            for line in lines:
                self.stdout.write(f"  {line}")

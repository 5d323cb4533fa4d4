from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from backend.accounts import signals

        signals.connect()

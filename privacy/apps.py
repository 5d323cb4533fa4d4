from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Export, deletion and retention of personal data; the privacy notice."""

    name = "privacy"
    verbose_name = "Privacy"

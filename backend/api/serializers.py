import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class LanguageCodeField(serializers.CharField):
    """An ISO 639-1 language code: two lowercase letters."""

    default_error_messages = {
        "invalid_code": _("Use a two-letter ISO 639-1 language code, e.g. lv.")
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data)
        if not re.fullmatch(r"[a-z]{2}", value):
            self.fail("invalid_code")
        return value

import re
from datetime import date, datetime

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


# Dates the API accepts. Python's datetimes end at years 1 and 9999, so a value
# near either end overflows when it is moved to UTC or shifted by a day; no
# club session or report reaches that far.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)
_RANGE_MESSAGE = _("Use a date between 1900-01-01 and 2999-12-31.")


class BoundedDateField(serializers.DateField):
    """A calendar date within MIN_DATE..MAX_DATE (400, never an overflow)."""

    default_error_messages = {"out_of_range": _RANGE_MESSAGE}

    def to_internal_value(self, value) -> date:
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            self.fail("out_of_range")
        if not MIN_DATE <= parsed <= MAX_DATE:
            self.fail("out_of_range")
        return parsed


class BoundedDateTimeField(serializers.DateTimeField):
    """A date-time whose date lies within MIN_DATE..MAX_DATE."""

    default_error_messages = {"out_of_range": _RANGE_MESSAGE}

    def to_internal_value(self, value) -> datetime:
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            self.fail("out_of_range")
        if not MIN_DATE <= parsed.date() <= MAX_DATE:
            self.fail("out_of_range")
        return parsed

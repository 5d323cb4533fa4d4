"""Field types shared by the clubs serializers."""

import re
from datetime import time
from typing import Any

from django.core.validators import RegexValidator, URLValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_ID = 10**18
MAX_CAPACITY = 500
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def IdField(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class LocalTimeField(serializers.CharField):
    """A local wall-clock time as ``HH:MM`` (24-hour)."""

    default_error_messages = {"invalid_time": _("Use a 24-hour time as HH:MM.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault(
            "validators",
            [RegexValidator(HHMM, message=_("Use a 24-hour time as HH:MM."))],
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> time:
        if not isinstance(data, str) or not HHMM.match(data):
            self.fail("invalid_time")
        value = super().to_internal_value(data)
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))

    def run_validators(self, value: Any) -> None:
        # The regex has been applied to the text; ``value`` is a time now.
        return None

    def to_representation(self, value: time) -> str:
        return value.strftime("%H:%M")


class WebUrlField(serializers.URLField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, URLValidator)
        ] + [URLValidator(schemes=["https", "http"])]


class CitySlugField(serializers.SlugField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(data).lower()

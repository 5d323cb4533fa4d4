"""Forms of the club pages: Django renders them, the API's serializers validate.

As with the profile form, the rules (lengths, ranges, codes) live once, in the
API's input serializers; these forms supply labels and widgets.
"""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.accounts.apis import VolunteerApplicationInputSerializer
from backend.accounts.models import Level
from clubs.serializers import CheckInInputSerializer, FeedbackInputSerializer
from web.forms import COMMON_NATIVE_LANGUAGES, language_name

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_iso_week(text: str) -> date | None:
    """The Monday of an ISO week written ``2026-W49``; None if there is none."""
    match = ISO_WEEK.match(text or "")
    if not match:
        return None
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def iso_week(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


class SerializerValidatedForm(forms.Form):
    """A form whose cleaned data the API's input serializer has validated.

    After ``is_valid()``, ``validated_data`` is what the service takes.
    """

    serializer_class: type[serializers.Serializer]

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        serializer = self.serializer_class(data=data)
        if not serializer.is_valid():
            for name, messages in serializer.errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return data
        self.validated_data = serializer.validated_data
        return data


class SessionFilterForm(forms.Form):
    """The filters of /clubs/: a plain GET form."""

    FORMATS = {"online": True, "in_person": False}

    language = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    format = forms.ChoiceField(
        label=_("Where"),
        required=False,
        choices=[
            ("", _("Online or in person")),
            ("online", _("Online")),
            ("in_person", _("In person")),
        ],
    )
    city = forms.ChoiceField(label=_("City"), required=False)
    has_space = forms.BooleanField(label=_("Only with places left"), required=False)

    def __init__(self, *args, languages: list[str], cities: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("Any language")),
            *((code, language_name(code)) for code in languages),
        ]
        self.fields["level"].choices = [("", _("Any level")), *Level.choices]
        self.fields["city"].choices = [
            ("", _("Any city")),
            *((city, city.replace("-", " ").title()) for city in cities),
        ]

    def selector_filters(self) -> dict:
        """The valid filters, for ``clubs.selectors.session_list``."""
        data = self.cleaned_data if self.is_valid() else {}
        filters: dict = {}
        for name in ("language", "level", "city"):
            if data.get(name):
                filters[name] = data[name]
        if data.get("format"):
            filters["online"] = self.FORMATS[data["format"]]
        if data.get("has_space"):
            filters["has_space"] = True
        return filters


class CheckInForm(SerializerValidatedForm):
    serializer_class = CheckInInputSerializer

    code = forms.CharField(
        label=_("Check-in code"),
        max_length=16,
        help_text=_("The code your host shows the room."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class FeedbackForm(SerializerValidatedForm):
    serializer_class = FeedbackInputSerializer

    rating = forms.TypedChoiceField(
        label=_("How was it?"),
        coerce=int,
        choices=[
            (1, _("1 – poor")),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, _("5 – very good")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Hosts see your comment without your name."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VolunteerApplicationForm(SerializerValidatedForm):
    serializer_class = VolunteerApplicationInputSerializer

    motivation = forms.CharField(
        label=_("Why would you like to host?"),
        max_length=2000,
        help_text=_("A few sentences: what you would like to do and your experience."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you could host in"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = [
            (code, language_name(code)) for code in COMMON_NATIVE_LANGUAGES
        ]

"""Forms of the host, dispute and report pages.

As with the profile form, Django renders them and the API's serializers
validate them: the rules (lengths, levels, times, URLs) live once, in
``clubs.serializers``. A service's own refusal (an ``ApiError`` with
``fields``) is put back on the form by ``add_api_error``.
"""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.accounts.models import Level
from backend.api.errors import ApiError
from clubs.models import Club, Session
from clubs.serializers import (
    CancelInputSerializer,
    ClubInputSerializer,
    ReportFilterSerializer,
    SessionInputSerializer,
)
from web.forms import language_name

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class ApiValidatedForm(forms.Form):
    """A form whose cleaned data is then validated by an API serializer.

    ``api_data`` holds the serializer's validated data for the service.
    """

    serializer_class: type[serializers.Serializer]
    api_data: dict[str, Any]
    # The form's name of a field the API names otherwise.
    api_field_names: dict[str, str] = {}
    # A change sends only what changed (the API's PATCH).
    partial = False

    def _field(self, api_name: str) -> str | None:
        name = self.api_field_names.get(api_name, api_name)
        return name if name in self.fields else None

    def api_input(self, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        serializer = self.serializer_class(
            data=self.api_input(dict(data)), partial=self.partial
        )
        if not serializer.is_valid():
            for name, messages in serializer.errors.items():
                for message in messages:
                    self.add_error(self._field(name), message)
            return data
        self.api_data = dict(serializer.validated_data)
        return data

    def add_api_error(self, error: ApiError) -> None:
        """A service's refusal, on the fields it names (else on the form)."""
        named = False
        for name, messages in (error.fields or {}).items():
            for message in messages:
                self.add_error(self._field(name), message)
                named = True
        if not named:
            self.add_error(None, error.message)


def _number(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "numeric", **attrs})


def _local_datetime(**kwargs: Any) -> forms.DateTimeField:
    """A wall-clock time in the active time zone (the host's), to the minute."""
    return forms.DateTimeField(
        input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=LOCAL_MINUTE
        ),
        **kwargs,
    )


# --- Clubs --------------------------------------------------------------------


def _online_link() -> forms.CharField:
    return forms.CharField(
        label=_("Online link"),
        required=False,
        max_length=200,
        widget=forms.URLInput(),
        help_text=_("Only people with a place see it."),
    )


class ClubForm(ApiValidatedForm):
    serializer_class = ClubInputSerializer

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(label=_("Language practised"))
    level_min = forms.ChoiceField(label=_("Lowest level"), choices=Level.choices)
    level_max = forms.ChoiceField(label=_("Highest level"), choices=Level.choices)
    online = forms.BooleanField(label=_("Meets online"), required=False)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=255,
        help_text=_("Where the club meets in person."),
    )
    city = forms.CharField(label=_("City"), required=False, max_length=60)
    online_url = _online_link()
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), coerce=int, choices=sorted(WEEKDAYS.items())
    )
    start_time = forms.CharField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), initial=90, widget=_number(min=15, max=720)
    )
    capacity = forms.IntegerField(
        label=_("Places"), initial=12, widget=_number(min=1, max=500)
    )
    active = forms.BooleanField(
        label=_("Active: new sessions are made from the schedule"),
        required=False,
        initial=True,
    )

    def __init__(
        self, *args, languages: list[str], time_zone: str, creating: bool, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["active"]  # a new club is active
        current = self.initial.get("language")
        if current and current not in languages:
            languages = [*languages, current]
        self.fields["language"].choices = [
            (code, language_name(code)) for code in languages or ["lv"]
        ]
        self.time_zone = time_zone

    @classmethod
    def initial_for(cls, club: Club) -> dict[str, Any]:
        initial = {name: getattr(club, name) for name in cls.base_fields}
        initial["start_time"] = club.start_time.strftime("%H:%M")
        return initial

    def api_input(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data.get("city"):
            data.pop("city", None)  # the club's default city
        return data


# --- Sessions -----------------------------------------------------------------


def exercise_choices(exercises) -> list[tuple[int, str]]:
    return [
        (e.pk, f"{e.level} · {e.get_kind_display()} · {e.prompt or e.key}"[:120])
        for e in exercises
    ]


class SessionForm(ApiValidatedForm):
    serializer_class = SessionInputSerializer

    starts_at = _local_datetime(label=_("Starts"))
    ends_at = _local_datetime(
        label=_("Ends"),
        required=False,
        help_text=_("Empty: the club's usual length."),
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    capacity = forms.IntegerField(label=_("Places"), widget=_number(min=1, max=500))
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    online_url = _online_link()
    exercises = forms.TypedMultipleChoiceField(
        label=_("Exercise pack"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "People marked as attended get these exercises to review. "
            "Hold Ctrl (or Cmd) to choose several on a computer."
        ),
    )

    def __init__(self, *args, exercises, session: Session | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.partial = session is not None
        self.fields["exercises"].choices = exercise_choices(exercises)
        self.fields["starts_at"].help_text = _("Your time zone: %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }

    @classmethod
    def initial_for_club(cls, club: Club) -> dict[str, Any]:
        return {
            "level": club.level_min,
            "capacity": club.capacity,
            "address": club.address,
            "online_url": club.online_url if club.online else "",
        }

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        initial = {name: getattr(session, name) for name in cls.base_fields}
        initial["exercises"] = [e.pk for e in session.exercises.all()]
        return initial

    def api_input(self, data: dict[str, Any]) -> dict[str, Any]:
        session = self.session
        if session is not None:
            # Only what the host changed goes to the service: a start shown to
            # the minute is not a new time, and moving the start alone keeps
            # the session's length (the service's rule).
            same_start = data.get("starts_at") == _minute(session.starts_at)
            same_end = data.get("ends_at") == _minute(session.ends_at)
            if same_start:
                data.pop("starts_at")
            if same_end or (not same_start and not data.get("ends_at")):
                data.pop("ends_at", None)
        if data.get("ends_at") is None:
            data.pop("ends_at", None)
        return data


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


class CancelForm(ApiValidatedForm):
    serializer_class = CancelInputSerializer

    reason = forms.CharField(
        label=_("Reason (everyone signed up gets it by e-mail)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Disputes -----------------------------------------------------------------


class DisputeDecisionForm(forms.Form):
    """Accept or reject; the dispute service requires a reason to reject."""

    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(required=False, max_length=1000)


class DisputeFilterForm(forms.Form):
    """The language filter of /disputes/: a plain GET form."""

    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("Any language")),
            *((code, language_name(code)) for code in languages),
        ]

    def selector_filters(self) -> dict:
        """The valid filters, for ``exercises.selectors.dispute_list``."""
        data = self.cleaned_data if self.is_valid() else {}
        return {"language": data["language"]} if data.get("language") else {}


# --- Report -------------------------------------------------------------------


class ReportFilterForm(ApiValidatedForm):
    serializer_class = ReportFilterSerializer
    api_field_names = {"from": "date_from", "to": "date_to"}

    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    club = forms.TypedChoiceField(label=_("Club"), coerce=int, required=False)

    def __init__(self, *args, clubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"].choices = [
            ("", _("All clubs")),
            *((club.pk, club.name) for club in clubs),
        ]

    def api_input(self, data: dict[str, Any]) -> dict[str, Any]:
        # The API's names: `from` and `to` are Python keywords.
        result: dict[str, Any] = {}
        if data.get("date_from"):
            result["from"] = data["date_from"]
        if data.get("date_to"):
            result["to"] = data["date_to"]
        if data.get("club"):
            result["club"] = data["club"]
        return result

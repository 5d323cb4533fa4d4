"""The profile form: Django renders it, the API's serializer validates it.

The rules (lengths, language codes, time zones) live once, in
``MeInputSerializer``; the form only supplies labels and widgets.
"""

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backend.accounts.apis import MeInputSerializer
from backend.accounts.models import InterfaceLanguage, Level

# Languages newcomers to Riga most often speak; the form also keeps any other
# code a person set through the API.
COMMON_NATIVE_LANGUAGES = (
    "uk", "ru", "en", "lv", "be", "pl", "lt", "et", "de", "ar", "fa", "hi", "tr",
)  # fmt: skip
COMMON_TIME_ZONES = (
    "Europe/Riga", "Europe/Kyiv", "Europe/Vilnius", "Europe/Tallinn",
    "Europe/Warsaw", "Europe/Berlin", "Europe/London", "Asia/Tbilisi",
)  # fmt: skip


def language_name(code: str) -> str:
    info = LANG_INFO.get(code)
    return gettext(info["name"]) if info else code


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        required=False,
        help_text=_("Other members see this name, never your e-mail address."),
    )
    interface_language = forms.ChoiceField(
        label=_("Language of Runa"), choices=InterfaceLanguage.choices
    )
    native_languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_language = forms.ChoiceField(label=_("Language you learn"))
    level = forms.ChoiceField(
        label=_("Your level"),
        required=False,
        help_text=_("The placement test sets it for you."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        help_text=_("For example Europe/Riga."),
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )

    def __init__(self, *args, user, target_languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        native = list(COMMON_NATIVE_LANGUAGES)
        native += [code for code in user.native_languages if code not in native]
        self.fields["native_languages"].choices = [
            (code, language_name(code)) for code in native
        ]
        targets = list(target_languages)
        if user.target_language not in targets:
            targets.append(user.target_language)
        self.fields["target_language"].choices = [
            (code, language_name(code)) for code in targets
        ]
        self.fields["level"].choices = [("", _("Not set")), *Level.choices]
        self.time_zones = COMMON_TIME_ZONES

    def clean(self) -> dict:
        data = super().clean()
        serializer = MeInputSerializer(data=data)
        if not serializer.is_valid():
            for name, messages in serializer.errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return data
        self.profile_data = serializer.validated_data
        return data


class AccountDeleteForm(forms.Form):
    """Confirms deleting the account: the password, and what becomes of my
    chat messages (the service decides everything else)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    keep_messages = forms.TypedChoiceField(
        label=_("My chat messages"),
        coerce=lambda value: value == "keep",
        choices=[
            ("keep", _("Keep their text in the conversations, as “Deleted user”")),
            ("remove", _("Remove their text")),
        ],
        initial="keep",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password

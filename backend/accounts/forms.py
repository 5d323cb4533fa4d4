from django import forms


class SignupForm(forms.Form):
    """Extra sign-up fields (allauth adds e-mail and password; the headless
    signup endpoints accept the same fields as JSON)."""

    privacy_notice_shown = forms.BooleanField(
        required=False,
        help_text="The sign-up screen showed the privacy notice (or linked to it).",
    )

    def signup(self, request, user) -> None:
        # The adapter records the notice in save_user(), before the first save.
        pass

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """The one place allauth is customised: new users get a display name."""

    def populate_username(self, request, user) -> None:
        # There are no usernames; give members a friendly default name instead,
        # never the full address (other members see display names).
        if not user.display_name and user.email:
            user.display_name = user.email.split("@", 1)[0][:80]

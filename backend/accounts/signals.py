"""Open chat sockets end when the log-in they were opened with ends.

A socket is authenticated once, at its handshake, so Django's own ways of
ending sessions (deleting the session, changing the session auth hash) do not
reach it. Two hooks close them, on every server process, with 4401:

- logging out (allauth's app and browser flows and the admin all go through
  ``django.contrib.auth.logout``, which sends ``user_logged_out``) ends the
  sockets of that log-in session;
- a changed password (allauth's change, set and reset flows, the admin's
  password form, ``manage.py changepassword``) or ``is_active`` turned off
  (the admin, or any service) ends all of the user's sockets, as Django ends
  their other sessions. This is watched on the model, not in each flow,
  because that is the one place every one of those paths passes.

Account deletion calls ``realtime.events.user_sockets_close`` itself.

Every save and delete of a user also drops the user's cached row
(``backend.accounts.auth_backends``), so the next request reads it anew.
"""

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_init, post_save

from backend.accounts.auth_backends import forget_user
from backend.accounts.models import User
from realtime import events


def _remember_credentials(sender, instance: User, **kwargs) -> None:
    # Reading a deferred field would load it with a query, whose new instance
    # runs this hook again: with .only()/.defer() that recursed without end.
    if {"password", "is_active"} & instance.get_deferred_fields():
        return
    instance._loaded_credentials = (instance.password, instance.is_active)


def _end_sockets_if_credentials_changed(
    sender, instance: User, created: bool, update_fields=None, **kwargs
) -> None:
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # neither was written
    loaded = getattr(instance, "_loaded_credentials", None)
    current = (instance.password, instance.is_active)
    instance._loaded_credentials = current
    if not created and loaded is not None and loaded != current:
        events.user_sockets_close(user_id=instance.pk)


def _end_sockets_of_session(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    # No user: the session was not logged in, so no socket was opened with it.
    if session_key and user is not None:
        events.session_sockets_close(user_id=user.pk, session_key=session_key)


def _forget_cached_user(sender, instance: User, **kwargs) -> None:
    forget_user(instance.pk)


def connect() -> None:
    post_save.connect(_forget_cached_user, sender=User, dispatch_uid="runa_user_cache")
    post_delete.connect(
        _forget_cached_user, sender=User, dispatch_uid="runa_user_cache"
    )
    post_init.connect(_remember_credentials, sender=User, dispatch_uid="runa_creds")
    post_save.connect(
        _end_sockets_if_credentials_changed, sender=User, dispatch_uid="runa_creds"
    )
    user_logged_out.connect(_end_sockets_of_session, dispatch_uid="runa_logout")

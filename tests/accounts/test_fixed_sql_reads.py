"""The session and the logged-in user are read in fixed SQL: the same rows,
with the same types, as the ORM reads them, and the same answers for what is
missing or expired."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoDbStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from backend.accounts.auth_backends import ModelBackend, _user_from_db
from backend.accounts.models import User
from backend.accounts.session_engines import cached_db, db
from tests.conftest import session_token_for
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _fields(user: User) -> dict:
    return {
        field.attname: (
            getattr(user, field.attname),
            type(getattr(user, field.attname)),
        )
        for field in User._meta.concrete_fields
    }


def test_the_user_read_is_the_orm_row(newcomer):
    staff = StaffFactory(display_name="Ilze", interface_language="lv")
    staff.last_login = timezone.now()
    staff.save()
    for user in (newcomer, staff):
        read = _user_from_db(user.pk)
        assert _fields(read) == _fields(User.objects.get(pk=user.pk))
        assert read._state.adding is False
        assert read._state.db == "default"
        assert read.get_deferred_fields() == set()


def test_a_missing_or_inactive_user_is_nobody(newcomer):
    assert _user_from_db(10**9) is None
    assert ModelBackend().get_user(10**9) is None
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    assert ModelBackend().get_user(newcomer.pk) is None


@pytest.mark.parametrize("engine", [db, cached_db])
def test_a_session_loads_as_with_django_engine(newcomer, engine):
    key = session_token_for(newcomer)

    ours = engine.SessionStore(key)
    assert ours.load() == DjangoDbStore(key).load()
    assert ours.session_key == key
    assert ours["_auth_user_id"] == str(newcomer.pk)


@pytest.mark.parametrize("engine", [db, cached_db])
def test_an_expired_or_unknown_session_is_empty_and_forgets_its_key(newcomer, engine):
    key = session_token_for(newcomer)
    import_module(settings.SESSION_ENGINE).SessionStore(key).delete()  # any cache
    Session.objects.create(
        session_key=key,
        session_data=DjangoDbStore().encode({"_auth_user_id": str(newcomer.pk)}),
        expire_date=timezone.now() - timedelta(seconds=1),
    )
    for candidate in (key, "no-such-session-key-0123456789ab"):
        store = engine.SessionStore(candidate)
        assert store.load() == {}
        assert store.session_key is None

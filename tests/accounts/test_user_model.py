from zoneinfo import ZoneInfo

import pytest

from backend.accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("Europe/Kyiv", "Europe/Kyiv"),
        ("Mars/Olympus", "Europe/Riga"),
        ("", "Europe/Riga"),
    ],
)
def test_user_zone_falls_back_to_the_city_when_the_stored_name_is_unusable(
    stored, expected
):
    assert UserFactory(time_zone=stored).zone == ZoneInfo(expected)


@pytest.mark.django_db
def test_users_load_with_deferred_credentials():
    user = UserFactory()
    loaded = User.objects.only("id", "email").get(pk=user.pk)
    assert loaded.email == user.email
    assert User.objects.defer("password").get(pk=user.pk).is_active

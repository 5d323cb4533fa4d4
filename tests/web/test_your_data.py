"""My data in the web app: the export link, deleting my account through the
API's deletion service, and the privacy notice in the app's own page."""

import pytest

from backend.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_links_to_my_export_and_to_deletion(client):
    client.force_login(UserFactory())
    page = client.get("/profile/").content.decode()
    assert 'href="/api/v1/me/export/" download' in page
    assert 'href="/profile/delete/"' in page
    assert 'href="/privacy/"' in page
    # Once, in the page: the section once sat in the <title> as well.
    assert page.count('id="your-data"') == 1
    assert "<title>Your profile · Runa</title>" in page


def test_the_export_link_downloads_my_data_with_the_browser_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/api/v1/me/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response.json()["profile"]["email"] == user.email


def test_deletion_page_needs_a_login(client):
    response = client.get("/profile/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/profile/delete/"


def test_a_wrong_password_deletes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/profile/delete/", {"password": "not-my-password", "keep_messages": "keep"}
    )
    assert response.status_code == 200
    assert "The password is not right." in response.content.decode()
    user.refresh_from_db()
    assert user.deleted_at is None and user.email
    assert client.get("/profile/").status_code == 200  # still logged in


def test_deleting_my_account_anonymises_it_and_logs_me_out(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/profile/delete/", {"password": PASSWORD, "keep_messages": "remove"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    deleted = User.objects.get(pk=user.pk)
    assert deleted.deleted_at is not None
    assert deleted.email != user.email
    assert client.get("/profile/").status_code == 302  # logged out
    landing = client.get("/").content.decode()
    assert "Your account has been deleted." in landing


def test_deletion_page_refuses_an_unknown_choice(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/profile/delete/", {"password": PASSWORD, "keep_messages": "both"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.deleted_at is None


def test_privacy_notice_is_a_page_of_the_web_app_without_inline_styles(client):
    response = client.get("/privacy/?lang=ru")
    page = response.content.decode()
    assert '<html lang="ru">' in page
    assert 'class="skip"' in page  # the app's own layout, footer and switcher
    assert "<style" not in page
    assert "style-src" in response["Content-Security-Policy"]

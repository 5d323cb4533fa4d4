"""Removing a co-host on the host's club page: the question first, who may,
what changes (through clubs.services.cohosts.club_cohost_remove), bad input,
constant queries."""

import pytest
from django.test import Client, TestCase

from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.factories import VolunteerFactory
from tests.support import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(db):
    return VolunteerFactory(display_name="Anna")


@pytest.fixture
def club(volunteer, anna):
    return ClubFactory(hosts=[volunteer, anna], name="Runātāji")


def login(client, user):
    client.force_login(user)
    return client


def edit_url(club) -> str:
    return f"/host/clubs/{club.pk}/edit/"


def remove_url_for(club_id: int, user_id: int) -> str:
    return f"/host/clubs/{club_id}/cohosts/{user_id}/remove/"


def remove_url(club, user_id: int) -> str:
    return remove_url_for(club.pk, user_id)


def hosts_of(club) -> list[int]:
    return sorted(club.hosts.values_list("pk", flat=True))


def test_a_host_removes_a_co_host(client, club, volunteer, anna, revoked):
    session = SessionFactory(club=club)
    login(client, volunteer)
    html = client.get(edit_url(club)).content.decode()
    assert f'href="{remove_url(club, anna.pk)}"' in html
    assert 'Remove<span class="visually-hidden"> – Anna</span>' in html
    # The button asks first: a page with the question, nothing changed yet.
    question = client.get(remove_url(club, anna.pk))
    assert question.status_code == 200
    page = question.content.decode()
    assert "Remove Anna from the hosts of Runātāji?" in page
    assert f'action="{remove_url(club, anna.pk)}"' in page and 'method="post"' in page
    assert f'href="{edit_url(club)}"' in page  # Cancel
    assert hosts_of(club) == sorted([volunteer.pk, anna.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(remove_url(club, anna.pk), follow=True)
    assert response.redirect_chain == [(edit_url(club), 302)]
    assert "Anna no longer hosts Runātāji." in response.content.decode()
    assert hosts_of(club) == [volunteer.pk]
    assert revoked == [(session.pk, anna.pk)]
    # Anna no longer hosts the club's sessions: its host pages refuse her.
    login(client, anna)
    assert client.get(f"/host/sessions/{session.pk}/").status_code == 403
    assert client.get(edit_url(club)).status_code == 403


def test_no_remove_button_for_oneself_or_the_last_host(client, club, volunteer, anna):
    login(client, volunteer)
    html = client.get(edit_url(club)).content.decode()
    assert remove_url(club, volunteer.pk) not in html  # not for oneself
    assert "A removed host no longer hosts" in html
    alone = ClubFactory(hosts=[volunteer])
    html = client.get(edit_url(alone)).content.decode()
    assert "/remove/" not in html
    assert "A removed host no longer hosts" not in html


def test_the_last_host_cannot_be_removed(client, staff, volunteer):
    alone = ClubFactory(hosts=[volunteer])
    for user in (volunteer, staff):
        response = login(client, user).post(
            remove_url(alone, volunteer.pk), follow=True
        )
        assert response.status_code == 200
        assert "A club needs at least one host." in response.content.decode()
        assert hosts_of(alone) == [volunteer.pk]


def test_staff_may_remove_a_host(client, staff, club, volunteer, anna):
    html = login(client, staff).get(edit_url(club)).content.decode()
    assert remove_url(club, volunteer.pk) in html and remove_url(club, anna.pk) in html
    html = client.post(remove_url(club, volunteer.pk), follow=True).content.decode()
    assert "Jānis no longer hosts Runātāji." in html
    assert hosts_of(club) == [anna.pk]


def test_strangers_and_participants_are_refused(
    client, club, anna, newcomer, volunteer
):
    RegistrationFactory(session=SessionFactory(club=club), user=newcomer)
    for user in (VolunteerFactory(), newcomer):
        response = login(client, user).post(remove_url(club, anna.pk))
        assert response.status_code == 403
        assert "Only the club&#x27;s hosts may do this." in response.content.decode()
    assert hosts_of(club) == sorted([volunteer.pk, anna.pk])
    client.logout()
    response = client.post(remove_url(club, anna.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert hosts_of(club) == sorted([volunteer.pk, anna.pk])


@pytest.mark.parametrize("who", ["self", "newcomer", "unknown", "huge"])
def test_the_question_is_only_asked_of_another_host(
    client, club, volunteer, anna, newcomer, who
):
    user_id = {
        "self": volunteer.pk,
        "newcomer": newcomer.pk,
        "unknown": 999999,
        "huge": 10**30,
    }[who]
    assert login(client, volunteer).get(remove_url(club, user_id)).status_code == 404
    assert hosts_of(club) == sorted([volunteer.pk, anna.pk])


def test_the_question_is_refused_to_strangers(client, club, anna):
    response = login(client, VolunteerFactory()).get(remove_url(club, anna.pk))
    assert response.status_code == 403


def test_other_methods_are_refused(client, club, volunteer, anna):
    response = login(client, volunteer).put(remove_url(club, anna.pk))
    assert response.status_code == 405
    assert hosts_of(club) == sorted([volunteer.pk, anna.pk])


def test_an_unknown_club_is_a_404_page(client, volunteer, anna):
    response = login(client, volunteer).post(remove_url_for(999999, anna.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["unknown", "newcomer", "huge"])
def test_someone_who_does_not_host_is_an_error_and_nothing_changes(
    client, club, volunteer, anna, newcomer, who
):
    user_id = {"unknown": 999999, "newcomer": newcomer.pk, "huge": 10**30}[who]
    response = login(client, volunteer).post(remove_url(club, user_id), follow=True)
    assert response.redirect_chain == [(edit_url(club), 302)]
    assert "This person does not host the club." in response.content.decode()
    assert hosts_of(club) == sorted([volunteer.pk, anna.pk])


def test_without_the_csrf_token_nothing_changes(club, volunteer, anna):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    response = client.post(remove_url(club, anna.pk))
    assert response.status_code == 403
    assert hosts_of(club) == sorted([volunteer.pk, anna.pk])


def test_the_club_page_has_a_constant_number_of_queries(client, volunteer):
    club = ClubFactory(hosts=[volunteer, VolunteerFactory()])
    login(client, volunteer)
    client.get(edit_url(club))  # warms the caches of the user and the session

    small = count_queries(lambda: client.get(edit_url(club)))
    for _ in range(7):
        club.hosts.add(VolunteerFactory())
    assert count_queries(lambda: client.get(edit_url(club))) == small


@pytest.mark.parametrize(
    "language,button,asked,said",
    [
        (
            "lv",
            "Noņemt",
            "Vai noņemt no kluba Runātāji vadītāju saraksta: Anna?",
            "Anna vairs nevada klubu Runātāji.",
        ),
        (
            "ru",
            "Убрать",
            "Убрать из ведущих клуба Runātāji: Anna?",
            "Anna больше не ведёт клуб Runātāji.",
        ),
        (
            "uk",
            "Прибрати",
            "Прибрати з ведучих клубу Runātāji: Anna?",
            "Anna більше не веде клуб Runātāji.",
        ),
    ],
)
def test_removing_speaks_the_interface_language(
    client, anna, language, button, asked, said
):
    host = VolunteerFactory(interface_language=language)
    club = ClubFactory(hosts=[host, anna], name="Runātāji")
    login(client, host)
    assert f"{button}<span" in client.get(edit_url(club)).content.decode()
    assert asked in client.get(remove_url(club, anna.pk)).content.decode()
    html = client.post(remove_url(club, anna.pk), follow=True).content.decode()
    assert said in html

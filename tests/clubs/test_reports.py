import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.clubs.factories import ClubFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT = "/api/v1/reports/participation/"


def at(day: str, hour: int = 16, minutes: int = 90) -> dict:
    starts = datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)
    return {"starts_at": starts, "ends_at": starts + timedelta(minutes=minutes)}


@pytest.fixture
def dataset():
    """Two clubs; numbers worked out by hand in the test below."""
    alfa = ClubFactory(name="Alfa")
    beta = ClubFactory(name="Beta")
    levels = {
        "u1": "A1",
        "u2": "A1",
        "u3": "A1",
        "u4": "A2",
        "u5": "A2",
        "u6": "B1",
        "u7": "B2",
        "u8": "C1",
        "u9": "A2",
        "u10": "A1",
        "u11": "A1",
    }
    u = {name: UserFactory(level=level) for name, level in levels.items()}

    # Beta, February: u1's first attendance ever (60 minutes).
    s0 = SessionFactory(club=beta, **at("2026-02-10", minutes=60))
    RegistrationFactory(session=s0, user=u["u1"], status="attended")

    s1 = SessionFactory(club=alfa, **at("2026-03-04"))
    for name in ("u1", "u2", "u3", "u4", "u5", "u6"):
        RegistrationFactory(session=s1, user=u[name], status="attended")
    RegistrationFactory(session=s1, user=u["u7"], status="no_show")
    RegistrationFactory(session=s1, user=u["u8"], status="cancelled")

    s2 = SessionFactory(club=alfa, **at("2026-03-11"))
    for name in ("u1", "u2", "u9", "u10", "u11"):
        RegistrationFactory(session=s2, user=u[name], status="attended")
    RegistrationFactory(session=s2, user=u["u3"], status="no_show")

    SessionFactory(club=alfa, status="cancelled", **at("2026-03-18"))
    # 31 March 22:30 UTC is already 1 April in Riga: an April session.
    SessionFactory(club=alfa, **at("2026-03-31", hour=22))
    return alfa, beta


def test_report_numbers_on_a_known_dataset(client_for, staff, dataset):
    alfa, _beta = dataset
    response = client_for(staff).get(REPORT, {"from": "2026-02-01", "to": "2026-04-30"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-02-01", "2026-04-30")
    rows = {(r["club_name"], r["month"]): r for r in body["rows"]}
    assert set(rows) == {("Alfa", "2026-03"), ("Alfa", "2026-04"), ("Beta", "2026-02")}

    march = rows[("Alfa", "2026-03")]
    assert march == {
        "club_id": alfa.pk,
        "club_name": "Alfa",
        "month": "2026-03",
        "sessions_held": 2,
        "sessions_cancelled": 1,
        "registrations": 13,
        "cancellations": 1,
        "attended": 11,
        "no_shows": 2,
        "unique_participants": 9,
        "participant_hours": 16.5,
        "new_participants": 8,  # u1 first came to Beta in February
        "by_level": {
            "A1": 5,
            "A2": "<5",
            "B1": "<5",
            "B2": 0,
            "C1": 0,
            "C2": 0,
            "unknown": 0,
        },
        "by_level_suppressed": False,
    }
    february = rows[("Beta", "2026-02")]
    assert february["unique_participants"] == 1
    assert february["new_participants"] == 1
    assert february["participant_hours"] == 1.0
    assert february["by_level"] is None
    assert february["by_level_suppressed"] is True
    april = rows[("Alfa", "2026-04")]
    assert (april["sessions_held"], april["registrations"]) == (1, 0)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        # 6 people, one of them at B1: "<5" for B1 would be 6 - 5 = 1.
        (["A1"] * 5 + ["B1"], None),
        # Two small levels: only their sum (2) follows from the total.
        (["A1"] * 5 + ["B1", "B2"], {"A1": 5, "B1": "<5", "B2": "<5"}),
        (["A1"] * 5, {"A1": 5}),
    ],
)
def test_a_single_small_level_cannot_be_worked_out_from_the_total(
    client_for, staff, levels, expected
):
    session = SessionFactory(**at("2026-03-04"))
    for level in levels:
        RegistrationFactory(
            session=session, user=UserFactory(level=level), status="attended"
        )
    body = client_for(staff).get(REPORT, {"from": "2026-03-01", "to": "2026-03-31"})

    [row] = body.json()["rows"]
    assert row["unique_participants"] == len(levels)
    if expected is None:
        assert (row["by_level"], row["by_level_suppressed"]) == (None, True)
    else:
        shown = {level: n for level, n in row["by_level"].items() if n != 0}
        assert shown == expected
        assert row["by_level_suppressed"] is False


def test_future_sessions_are_not_counted_as_held(client_for, staff):
    SessionFactory()  # in two days
    today = datetime.now(UTC).date()
    body = (
        client_for(staff)
        .get(
            REPORT,
            {"from": today.isoformat(), "to": (today + timedelta(days=5)).isoformat()},
        )
        .json()
    )
    [row] = body["rows"]
    assert (row["sessions_held"], row["sessions_cancelled"]) == (0, 0)


def test_report_for_one_club(client_for, staff, dataset):
    alfa, _ = dataset
    body = (
        client_for(staff)
        .get(REPORT, {"from": "2026-01-01", "to": "2026-06-30", "club": alfa.pk})
        .json()
    )
    assert {r["club_name"] for r in body["rows"]} == {"Alfa"}


def test_csv_report(client_for, staff, dataset):
    response = client_for(staff).get(
        REPORT, {"from": "2026-02-01", "to": "2026-03-31", "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    alfa = next(r for r in rows if r["club_name"] == "Alfa")
    assert alfa["attended"] == "11"
    assert alfa["participant_hours"] == "16.5"
    assert (alfa["level_A1"], alfa["level_A2"], alfa["level_C2"]) == ("5", "<5", "0")
    assert alfa["by_level_suppressed"] == "no"
    beta = next(r for r in rows if r["club_name"] == "Beta")
    assert (beta["level_A1"], beta["by_level_suppressed"]) == ("", "yes")


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(client_for, staff):
    starts = datetime.now(UTC) - timedelta(days=3)
    SessionFactory(
        club=ClubFactory(name="=1+1"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    text = client_for(staff).get(REPORT, {"format": "csv"}).content.decode()
    assert "'=1+1" in text


def test_default_range_is_the_last_twelve_months(client_for, staff):
    body = client_for(staff).get(REPORT).json()
    date_from = datetime.fromisoformat(body["from"]).date()
    date_to = datetime.fromisoformat(body["to"]).date()
    assert date_from.day == 1
    assert 330 <= (date_to - date_from).days <= 366


@pytest.mark.parametrize("who", ["newcomer", "volunteer", "pending_volunteer"])
def test_only_staff_see_reports(client_for, request, who):
    response = client_for(request.getfixturevalue(who)).get(REPORT)
    assert response.status_code == 403
    csv_response = client_for(request.getfixturevalue(who)).get(
        REPORT, {"format": "csv"}
    )
    assert csv_response.status_code == 403
    assert csv_response.json()["code"] == "permission_denied"


def test_anonymous_gets_401(api_client):
    assert api_client.get(REPORT).status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"from": "March"},
        {"to": "2026-02-30"},
        {"from": "2026-05-01", "to": "2026-04-01"},
        {"from": "2010-01-01", "to": "2026-01-01"},
        {"format": "xml"},
        {"format": "csv", "club": "Alfa"},
        {"club": "-2"},
        {"club": str(10**30)},
    ],
)
def test_bad_report_parameters_are_400(client_for, staff, params):
    response = client_for(staff).get(REPORT, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "invalid"

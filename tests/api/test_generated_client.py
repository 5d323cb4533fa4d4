"""A client no one here wrote works: openapi-python-client, from the live schema.

The test starts a real daphne on a fresh SQLite database with the demo data,
generates a Python client from its ``/api/schema/`` with openapi-python-client
(pinned in requirements-dev.txt; offline), then calls every list and one write
per app through it. The generated models parse every answer strictly, so a list
declared as a bare array, a missing field or an undeclared status fails here.
"""

import asyncio
import importlib
import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
import websockets

from tests.realtime.servers import free_port, stop, wait_for_port
from tests.support import ROOT

pytestmark = pytest.mark.generated_client

BIN = Path(sys.executable).parent
PASSWORD = "runa-demo-2026"
PACKAGE = "runa_client"
# Generous: the machines running the suite may be busy (first requests warm up).
TIMEOUT = httpx.Timeout(60)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("server")
    # Its own database and channel layer, whatever the test run uses.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "REDIS_PREFIX"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings.base",
        DEBUG="0",
        USE_TLS="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        THROTTLE_ANON="100000/min",
        THROTTLE_USER="100000/min",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    port = free_port()
    log = (work / "daphne.log").open("wb")
    process = subprocess.Popen(
        [
            str(BIN / "daphne"),
            *("-b", "127.0.0.1", "-p", str(port)),
            "backend.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process)
        yield f"127.0.0.1:{port}"
    finally:
        stop(process)
        log.close()
    output = (work / "daphne.log").read_text()
    assert "Traceback" not in output, output[-5000:]


@pytest.fixture(scope="module")
def client_package(server, tmp_path_factory):
    """Generate the client from the running server's schema and import it."""
    work = tmp_path_factory.mktemp("client")
    schema = work / "schema.json"
    response = httpx.get(f"http://{server}/api/schema/?format=json", timeout=TIMEOUT)
    assert response.status_code == 200
    schema.write_bytes(response.content)
    config = work / "config.yaml"
    config.write_text(
        f"project_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\n"
        "post_hooks: []\n"
    )
    result = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            *("--path", str(schema)),
            *("--config", str(config), "--meta", "none"),
            *("--output-path", str(work / PACKAGE)),
        ],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator warns about every part of the schema it could not use.
    assert "Warning" not in result.stdout + result.stderr, result.stdout
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _token(server: str, email: str) -> str:
    response = httpx.post(
        f"http://{server}/_allauth/app/v1/auth/login",
        json={"email": email, "password": PASSWORD},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return response.json()["meta"]["session_token"]


@pytest.fixture(scope="module")
def clients(server, client_package):
    """A generated AuthenticatedClient per demo role."""
    return {
        role: client_package.AuthenticatedClient(
            base_url=f"http://{server}",
            token=_token(server, f"{role}@runa.test"),
            prefix="",
            auth_header_name="X-Session-Token",
            raise_on_unexpected_status=True,
            timeout=TIMEOUT,
        )
        for role in ("newcomer", "volunteer", "staff")
    }


def _api(package, tag: str, operation: str):
    return importlib.import_module(f"{package.__name__}.api.{tag}.{operation}")


def _page(package, call, model: str, *args, **kwargs):
    """Call a list operation; its answer must be the generated page model."""
    page = call.sync(*args, **kwargs)
    assert type(page).__name__ == f"Paginated{model}List", page
    assert isinstance(page.count, int)
    assert all(type(item).__name__ == model for item in page.results)
    return page


async def _chat(server: str, token: str, room_id: int) -> None:
    """The realtime app's writes are WebSocket frames: send and report one."""
    async with websockets.connect(
        f"ws://{server}/ws/rooms/{room_id}/",
        additional_headers={"X-Session-Token": token},
        open_timeout=10,
    ) as socket:

        async def frame(kind: str) -> dict:
            while True:
                data = json.loads(await asyncio.wait_for(socket.recv(), 10))
                if data["type"] == kind:
                    return data

        await frame("hello")
        await socket.send(
            json.dumps(
                {
                    "type": "message.send",
                    "body": "Vai varam sākt ar tirgu?",
                    "client_msg_id": str(uuid.uuid4()),
                }
            )
        )
        message = (await frame("message.new"))["message"]
        await socket.send(
            json.dumps(
                {"type": "message.report", "message_id": message["id"], "reason": "x"}
            )
        )
        await frame("message.reported")


def test_generated_client_lists_everything_and_writes_in_every_app(
    server, client_package, clients
):
    p = client_package
    models = importlib.import_module(f"{p.__name__}.models")
    newcomer, volunteer, staff = (
        clients[r] for r in ("newcomer", "volunteer", "staff")
    )

    # --- accounts: change my profile, apply to volunteer -----------------------
    me = _api(p, "me", "me_partial_update").sync(
        client=newcomer, body=models.PatchedMeInputRequest(display_name="Olena K.")
    )
    assert (type(me).__name__, me.display_name) == ("MeOutput", "Olena K.")
    applied = _api(p, "me", "me_volunteer_application_create").sync(
        client=newcomer,
        body=models.VolunteerApplicationInputRequest(
            motivation="I can host a Ukrainian–Latvian tandem.", languages=["uk", "lv"]
        ),
    )
    assert type(applied).__name__ == "VolunteerApplicationOutput"
    mine = _api(p, "me", "me_volunteer_application_retrieve").sync(client=newcomer)
    assert (mine.id, mine.status.value) == (applied.id, "pending")
    applications = _page(
        p,
        _api(p, "volunteer_applications", "volunteer_applications_list"),
        "VolunteerApplicationOutput",
        client=staff,
    )
    assert applied.id in {a.id for a in applications.results}

    # --- exercises: answer, dispute, a judge rejects with a reason ------------
    topics = _page(p, _api(p, "topics", "topics_list"), "TopicOutput", client=newcomer)
    assert topics.count > 0
    exercises = _page(
        p,
        _api(p, "exercises", "exercises_list"),
        "ExerciseOutput",
        client=newcomer,
        language="lv",
        kind=models.ExercisesListKind.TRANSLATE,
        page_size=2,
    )
    assert exercises.count > 2 and exercises.next_ is not None
    second = _api(p, "exercises", "exercises_list").sync(
        client=newcomer, language="lv", page=2, page_size=2
    )
    assert second.previous is not None and len(second.results) == 2
    attempt = _api(p, "exercises", "exercises_attempts_create").sync(
        exercises.results[0].id,
        client=newcomer,
        body=models.AttemptInputRequest(
            answer="Tas nav pareizi", client_attempt_id=uuid.uuid4()
        ),
    )
    assert type(attempt).__name__ == "AttemptOutput"
    assert attempt.verdict.value != "correct"
    attempts = _page(
        p, _api(p, "attempts", "attempts_list"), "AttemptOutput", client=newcomer
    )
    listed = next(a for a in attempts.results if a.id == attempt.id)
    assert listed.next_review_at == attempt.next_review_at is not None
    dispute = _api(p, "attempts", "attempts_dispute_create").sync(
        attempt.id, client=newcomer, body=models.DisputeInputRequest(comment="Sure?")
    )
    queue = _page(
        p, _api(p, "disputes", "disputes_list"), "DisputeOutput", client=staff
    )
    assert dispute.id in {d.id for d in queue.results}
    _api(p, "disputes", "disputes_reject_create").sync(
        dispute.id,
        client=volunteer,
        body=models.DisputeRejectInputRequest(reason="The task asks for “gribu”."),
    )
    my_disputes = _page(
        p, _api(p, "me", "me_disputes_list"), "MyDisputeOutput", client=newcomer
    )
    decided = next(d for d in my_disputes.results if d.id == dispute.id)
    assert (decided.status.value, decided.decision_reason) == (
        "rejected",
        "The task asks for “gribu”.",
    )

    # --- clubs: sign up for a session; its host sees the participant ---------
    clubs = _page(p, _api(p, "clubs", "clubs_list"), "ClubOutput", client=newcomer)
    assert clubs.count > 0
    sessions = _page(
        p, _api(p, "sessions", "sessions_list"), "SessionOutput", client=newcomer
    )
    session = next(s for s in sessions.results if s.my_registration is None)
    registration = _api(p, "sessions", "sessions_registration_create").sync(
        str(session.id), client=newcomer
    )
    assert type(registration).__name__ == "RegistrationOutput"
    participants = _page(
        p,
        _api(p, "sessions", "sessions_participants_list"),
        "Participant",
        str(session.id),
        client=volunteer,
    )
    assert "Olena K." in {person.user.display_name for person in participants.results}

    # Staff approve the newcomer's application; a host invites them to
    # co-host, and both sides see the invitation.
    approved = _api(
        p, "volunteer_applications", "volunteer_applications_approve_create"
    ).sync(applied.id, client=staff)
    assert approved.status.value == "approved"
    club = next(c for c in clubs.results if c.name == "Latviešu sarunu klubs Rīgā")
    invitation = _api(p, "clubs", "clubs_cohost_invitations_create").sync(
        str(club.id),
        client=volunteer,
        body=models.CoHostInviteInputRequest(email="newcomer@runa.test"),
    )
    assert type(invitation).__name__ == "CoHostInvitationOutput", invitation
    for call, client, args in [
        ("clubs_cohost_invitations_list", volunteer, (str(club.id),)),
        ("me_cohost_invitations_list", newcomer, ()),
    ]:
        tag = call.split("_", 1)[0]
        page = _page(
            p, _api(p, tag, call), "CoHostInvitationOutput", *args, client=client
        )
        assert invitation.id in {i.id for i in page.results}

    # --- realtime: a message and a report over the socket, read back ---------
    rooms = _page(p, _api(p, "rooms", "rooms_list"), "Room", client=newcomer)
    room = next(r for r in rooms.results if r.last_message is not None)
    asyncio.run(_chat(server, newcomer.token, room.id))
    history = _api(p, "rooms", "rooms_messages_list").sync(room.id, client=newcomer)
    assert history.results[-1].body == "Vai varam sākt ar tirgu?"
    reports = _page(
        p,
        _api(p, "reports", "reports_messages_list"),
        "MessageReport",
        client=staff,
    )
    assert history.results[-1].id in {r.message.id for r in reports.results}


def test_generated_client_gets_errors_in_the_contract(server, client_package, clients):
    p = client_package
    body = _api(p, "volunteer_applications", "volunteer_applications_list").sync(
        client=clients["volunteer"]
    )
    assert (type(body).__name__, body.code) == ("Error", "permission_denied")
    missing = _api(p, "sessions", "sessions_participants_list").sync(
        "999999", client=clients["volunteer"]
    )
    assert (type(missing).__name__, missing.code) == ("Error", "not_found")

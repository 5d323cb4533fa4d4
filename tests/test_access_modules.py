"""One permission-checked getter module per app: ``<app>/access.py``.

APIs, consumers and (later) the web app load protected objects through these
getters only, so a rule about who may see what lives in one place.
"""

import ast
import importlib

import pytest

from backend.api.errors import Forbidden, NotFound
from tests.support import ROOT

APPS = ("clubs", "exercises", "realtime")


def is_getter(name: str) -> bool:
    return "_get_for_" in name or name.endswith("_get") or name.endswith("_access")


def defined_getters(path):
    """Functions named like getters that load one object by its id."""
    tree = ast.parse(path.read_text())
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and is_getter(node.name)
        and not node.name.startswith("_")
        and any(arg.arg.endswith("_id") for arg in node.args.kwonlyargs)
    ]


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_an_access_module_of_getters(app):
    module = importlib.import_module(f"{app}.access")
    getters = [name for name in dir(module) if is_getter(name)]
    assert getters, f"{app}.access has no getters"


def test_getters_are_defined_only_in_access_modules():
    misplaced = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.name == "access.py" and path.parent == ROOT / app:
                continue
            if "migrations" in path.parts:
                continue
            misplaced += [
                f"{path.relative_to(ROOT)}: {name}" for name in defined_getters(path)
            ]
    assert not misplaced


@pytest.mark.django_db
def test_getters_refuse_unknown_and_foreign_objects(newcomer, stranger, volunteer):
    from clubs import access as clubs_access
    from exercises import access as exercises_access
    from realtime import access as realtime_access
    from tests.clubs.factories import ClubFactory, SessionFactory
    from tests.exercises.factories import ExerciseFactory

    club = ClubFactory(hosts=[volunteer])
    session = SessionFactory(club=club)
    with pytest.raises(NotFound):
        clubs_access.club_get(club_id=club.pk + 1000)
    with pytest.raises(Forbidden):
        clubs_access.club_get_for_host(user=newcomer, club_id=club.pk)
    with pytest.raises(Forbidden):
        clubs_access.session_get_for_host(user=newcomer, session_id=session.pk)
    assert clubs_access.session_get_for_host(
        user=volunteer, session_id=session.pk
    ).is_host
    with pytest.raises(NotFound):
        exercises_access.exercise_get(exercise_id=ExerciseFactory(is_active=False).pk)
    with pytest.raises(NotFound):
        exercises_access.attempt_get_for_owner(user=stranger, attempt_id=1)
    with pytest.raises(NotFound):
        exercises_access.placement_get_for_owner(user=stranger, test_id=1)
    with pytest.raises(Forbidden):
        realtime_access.room_access(room_id=session.pk, user=stranger)
    with pytest.raises(NotFound):
        realtime_access.room_access(room_id=session.pk + 1000, user=stranger)

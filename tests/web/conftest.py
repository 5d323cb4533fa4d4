"""Browser tests: Playwright drives Debian's chromium against a live server.

Never a downloaded browser build: ``executable_path`` is Debian's chromium
(``.ci/run`` installs it). Every page is checked for requests that leave the
origin, Content-Security-Policy violations and axe-core serious or critical
violations, and photographed at phone width into ``screenshots/``.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.exercises.factories import (
    ExerciseFactory,
    LatvianProfileFactory,
    TopicFactory,
)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "screenshots"
PHONE = {"width": 360, "height": 740}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def pytest_collection_modifyitems(config, items):
    # Without chromium the browser tests skip locally; CI installs it, so
    # there they must run.
    if shutil.which(CHROMIUM) or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"needs chromium at {CHROMIUM}")
    for item in items:
        if "browser" in item.fixturenames:
            item.add_marker(skip)


@pytest.fixture
def browser(django_db_setup):
    # After the test database exists: Playwright's sync API keeps an event
    # loop in this thread, and Django refuses to set up a database under one.
    # One per test: a loop left running would break the asyncio tests that
    # pytest-django orders after these.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True
        )
        yield browser
        browser.close()


class Visit:
    """One browser context at phone width with the checks every test wants."""

    def __init__(self, browser, base_url: str, *, locale: str = "en-GB", **options):
        self.base_url = base_url
        self.context = browser.new_context(
            viewport=PHONE, locale=locale, base_url=base_url, **options
        )
        self.context.set_default_timeout(15_000)
        self.foreign: list[str] = []
        self.csp_errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def axe(self) -> list[dict]:
        """axe-core's serious and critical violations on the current page."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    def check_page(self, name: str) -> None:
        """Screenshot, then axe-core, CSP and same-origin checks."""
        self.shot(name)
        assert self.axe() == [], name
        assert self.csp_errors == [], name
        assert self.foreign == [], name

    def close(self) -> None:
        self.context.close()


# The ORM calls a browser test makes between its steps, and the database flush
# after it, are plain synchronous code, but run while Playwright's event loop
# exists in this thread: allowed from that test's setup to the end of its
# teardown, and for no other test.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    if {"visit", "asgi_visit"} & set(getattr(item, "fixturenames", ())):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def visit(transactional_db, browser, live_server):
    opened = []

    def make(**options) -> Visit:
        options.setdefault("service_workers", "block")
        v = Visit(browser, live_server.url, **options)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()


@pytest.fixture
def asgi_server(transactional_db, tmp_path):
    """A real daphne (HTTP and WebSockets) on the test database."""
    from tests.web.asgi_server import AsgiServer

    server = AsgiServer(tmp_path / "daphne.log")
    yield server
    server.stop()


@pytest.fixture
def asgi_visit(transactional_db, browser, asgi_server):
    """Like ``visit``, against ``asgi_server``; ``signed_in=user`` opens the
    context with a real log-in session cookie for that user."""
    from tests.conftest import session_token_for

    opened = []

    def make(*, signed_in=None, **options) -> Visit:
        options.setdefault("service_workers", "block")
        v = Visit(browser, asgi_server.url, **options)
        if signed_in is not None:
            v.context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": session_token_for(signed_in),
                        "url": asgi_server.url,
                    }
                ]
            )
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()
    # An ORM call between browser steps can leave a connection of its own
    # (Playwright's sync API switches greenlets, each with its own context):
    # close it, or PostgreSQL cannot drop the test database after the run.
    from django.db import connections

    connections.close_all()


@pytest.fixture
def course(transactional_db):
    """Latvian content: two A1 choice items for the placement test, then a
    translate exercise with diacritics and one of each other kind."""
    LatvianProfileFactory()
    topic = TopicFactory(
        slug="everyday",
        name={"en": "Everyday life", "ru": "Повседневная жизнь", "lv": "Ikdiena"},
    )
    return {
        "translate": ExerciseFactory(
            key="a1-translate", kind="translate", topic=topic, prompt=""
        ),
        "cloze": ExerciseFactory(key="a2-cloze", kind="cloze", topic=topic),
        "order": ExerciseFactory(key="a3-order", kind="order", topic=topic),
        "match": ExerciseFactory(key="a4-match", kind="match", topic=topic),
        "choice1": ExerciseFactory(key="b1-choice", kind="choice", topic=topic),
        "choice2": ExerciseFactory(key="b2-choice", kind="choice", topic=topic),
    }


def link_from(body: str, fragment: str) -> str:
    match = re.search(rf"https?://\S*{re.escape(fragment)}\S*", body)
    assert match, body
    return match.group(0)

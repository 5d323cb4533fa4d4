"""Page weight of the web app, as a phone on a slow connection pays for it.

Starts daphne with production settings (DEBUG off, collectstatic with
whitenoise's compressed manifest storage) on a fresh SQLite file with the demo
data, signs in as the demo newcomer, and loads each page the way a browser
does: the HTML, then every stylesheet, script module (with its imports),
manifest, icon and the service worker it references. Static files are
measured as whitenoise serves them (gzip, Accept-Encoding: gzip); HTML as a
proxy would compress it (gzip level 6). "First load" counts everything for a
cold cache; "later page" counts what is not already cached from the pages
before it. Budgets (issue #11): first load ≤ 100 KB, later pages ≤ 20 KB.

Run: .venv/bin/python bench/web_weight.py   (prints a Markdown table)
"""

import gzip
import http.cookiejar
import re
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import clean_env, daphne, manage

PAGES = [
    ("/", "landing (visitor)", False),
    ("/accounts/signup/", "sign up", False),
    ("/accounts/login/", "log in", False),
    ("/practice/", "practice", True),
    ("/placement/", "placement", True),
    ("/progress/", "progress", True),
    ("/profile/", "profile", True),
]
FIRST_LOAD_BUDGET = 100 * 1024
LATER_BUDGET = 20 * 1024
ASSET = re.compile(r'<(?:link|script)\b[^>]*?(?:href|src)="(/[^"]+)"')
IMPORT = re.compile(r'(?:import|from)\s*(?:[^"\']*?from\s*)?["\'](\./[^"\']+)["\']')


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.cache: set[str] = set()

    def get(self, path: str, *, gzip_ok: bool = True) -> tuple[bytes, int]:
        """(decoded body, bytes on the wire)."""
        request = urllib.request.Request(self.base + path)  # noqa: S310 (http only)
        if gzip_ok:
            request.add_header("Accept-Encoding", "gzip")
        with self.opener.open(request) as response:
            raw = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                return gzip.decompress(raw), len(raw)
            return raw, len(raw)

    def log_in(self, email: str, password: str) -> None:
        html, _ = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        body = urllib.parse.urlencode(
            {
                "login": email,
                "password": password,
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (http only)
            self.base + "/accounts/login/",
            data=body,
            headers={"Referer": self.base + "/accounts/login/"},
        )
        self.opener.open(request).read()

    def load(self, path: str) -> dict[str, int]:
        html, _ = self.get(path, gzip_ok=False)
        sizes = {"html": len(gzip.compress(html, compresslevel=6))}
        pending = ASSET.findall(html.decode())
        if b"serviceWorker" in html or "sw-register" in html.decode():
            pending.append("/sw.js")
        assets = 0
        while pending:
            url = pending.pop()
            if url in self.cache:
                continue
            self.cache.add(url)
            body, wire = self.get(url)
            if url == "/sw.js":
                wire = len(gzip.compress(body, compresslevel=6))
            assets += wire
            if url.endswith(".js"):
                folder = url.rsplit("/", 1)[0]
                for module in IMPORT.findall(body.decode()):
                    pending.append(folder + "/" + module[2:])
        sizes["assets"] = assets
        return sizes


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = clean_env(
            DEBUG="0",
            SECRET_KEY="bench-" + "x" * 50,
            ALLOWED_HOSTS="127.0.0.1",
            USE_TLS="0",
            DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
        )
        for command in (("collectstatic", "--noinput", "-v0"), ("migrate", "-v0")):
            result = manage(*command, env=env)
            assert result.returncode == 0, result.stderr
        result = manage("seed_demo", env=env)
        assert result.returncode == 0, result.stderr
        with daphne(env) as base:
            browser = Browser(base)
            rows = []
            for path, name, private in PAGES:
                if private and not any(c.name == "sessionid" for c in browser.jar):
                    browser.log_in("newcomer@runa.test", "runa-demo-2026")
                cold = Browser(base)
                cold.jar = browser.jar
                cold.opener = browser.opener
                first = cold.load(path)
                later = browser.load(path)
                rows.append((path, name, first, later))
    print("| Page | First load (HTML + CSS + JS + icons) | Later page | Budget |")
    print("| --- | ---: | ---: | --- |")
    ok = True
    for path, name, first, later in rows:
        first_total = first["html"] + first["assets"]
        later_total = later["html"] + later["assets"]
        within = first_total <= FIRST_LOAD_BUDGET and later_total <= LATER_BUDGET
        ok &= within
        print(
            f"| `{path}` {name} | {first_total / 1024:.1f} KB "
            f"(HTML {first['html'] / 1024:.1f}) | {later_total / 1024:.1f} KB | "
            f"{'within' if within else 'OVER'} |"
        )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

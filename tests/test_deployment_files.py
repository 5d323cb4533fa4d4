"""docker-compose.yml and .env.example describe what the settings really read.

There is no Docker engine on the build machines, so the compose file is checked
by reading it.
"""

import re

import yaml

from tests.support import ROOT


def settings_variables() -> set[str]:
    """Every environment variable the settings read through backend.env."""
    names: set[str] = set()
    for path in (ROOT / "backend" / "settings").glob("*.py"):
        names |= set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', path.read_text()))
    return names


def example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE))


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_env_example_documents_every_setting_the_code_reads():
    missing = settings_variables() - example_variables()
    assert not missing, f"undocumented in .env.example: {sorted(missing)}"


def test_compose_has_database_redis_and_daphne_web_with_health_checks():
    services = compose()["services"]
    assert {"db", "redis", "web"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("db", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
    web = services["web"]
    assert web["build"] == "."
    assert web["env_file"] == ".env"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "/readyz" in " ".join(web["healthcheck"]["test"])


def test_compose_environment_uses_only_variables_the_settings_read():
    known = settings_variables()
    for name, service in compose()["services"].items():
        for variable in service.get("environment", {}):
            if name == "db":
                continue  # the postgres image's own variables
            assert variable in known, f"{name}: {variable} is not read by settings"
    web_env = compose()["services"]["web"]["environment"]
    assert web_env["DATABASE_URL"].startswith("postgres://")
    assert web_env["REDIS_URL"].startswith("redis://redis:6379")


def test_dockerfile_serves_the_asgi_app_with_daphne():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", dockerfile, flags=re.MULTILINE)
    assert "requirements.txt" in dockerfile
    cmd = re.search(r"^CMD (.+)$", dockerfile, flags=re.MULTILINE).group(1)
    assert '"daphne"' in cmd and '"backend.asgi:application"' in cmd
    # daphne's --proxy-headers believes the client-written X-Forwarded-For.
    assert '"--proxy-headers"' not in cmd
    assert '"--websocket_timeout", "-1"' in cmd


def test_scheduler_and_readme_cron_run_every_periodic_job():
    command = " ".join(compose()["services"]["scheduler"]["command"])
    readme = (ROOT / "README.md").read_text()
    for job in ("send_reminders", "generate_sessions", "purge_old_data"):
        assert f"python manage.py {job}" in command, job
        assert re.search(rf"^\S+ \S+ \S+ \S+ \S+ .*manage\.py {job}", readme, re.M), job

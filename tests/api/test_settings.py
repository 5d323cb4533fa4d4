"""Settings come from the environment and reject malformed values at start."""

import pytest

from tests.support import clean_env, manage

PRODUCTION = {
    "SECRET_KEY": "t9-Vq2xLr7PzK4mW8nB3cJ6hF1dS5gA0eYuQ_oRiTkXlZwEvNbMpCa",
    "ALLOWED_HOSTS": "runa.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://runa.example.org",
}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "0"}, "SECRET_KEY is required unless DEBUG is on"),
        (
            {"DEBUG": "1", "DATABASE_URL": "mysql://db/runa"},
            "DATABASE_URL='mysql://db/runa' must be a URL starting with one of",
        ),
        (
            {"DEBUG": "1", "REDIS_URL": "localhost:6379"},
            "REDIS_URL='localhost:6379' must be a URL starting with one of",
        ),
        (
            {"DEBUG": "1", "EMAIL_PORT": "smtp"},
            "EMAIL_PORT='smtp' is not a whole number",
        ),
        ({"DEBUG": "1", "TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE='Mars/Olympus'"),
        (
            {"DEBUG": "1", "CSRF_TRUSTED_ORIGINS": "runa.example.org"},
            "CSRF_TRUSTED_ORIGINS entry 'runa.example.org' must look like",
        ),
        (
            {"DEBUG": "1", "THROTTLE_USER": "lots"},
            "THROTTLE_USER='lots' must look like",
        ),
        (
            {"DEBUG": "1", "ACCOUNT_EMAIL_VERIFICATION": "sometimes"},
            "ACCOUNT_EMAIL_VERIFICATION='sometimes' must be one of",
        ),
        ({**PRODUCTION, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS='*' is refused"),
        (
            {**PRODUCTION, "ALLOWED_HOSTS": "runa.example.org,*"},
            "ALLOWED_HOSTS='*' is refused",
        ),
        (
            {"DEBUG": "1", "TRUSTED_PROXY_COUNT": "-1"},
            "TRUSTED_PROXY_COUNT='-1' must be at least 0",
        ),
        (
            {"DEBUG": "1", "SESSION_LIFETIME_DAYS": "forever"},
            "SESSION_LIFETIME_DAYS='forever' is not a whole number",
        ),
    ],
)
def test_malformed_setting_fails_at_start_with_a_clear_message(env, message):
    result = manage("check", env=clean_env(**env))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=clean_env(**PRODUCTION)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_tls_settings_fails_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=clean_env(**PRODUCTION, USE_TLS="0"),
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # session cookie not secure


def test_wildcard_hosts_are_still_allowed_for_local_development():
    result = manage("check", env=clean_env(DEBUG="1", ALLOWED_HOSTS="*"))
    assert result.returncode == 0, result.stderr


def test_session_lifetime_is_read_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
        env=clean_env(DEBUG="1", SESSION_LIFETIME_DAYS="3"),
    )
    assert result.stdout.strip().splitlines()[-1] == str(3 * 24 * 3600), result.stderr


_POOL = (
    "from django.conf import settings; "
    "print(settings.DATABASES['default'].get('OPTIONS', {}).get('pool'))"
)


@pytest.mark.parametrize(
    ("env", "pool"),
    [
        ({}, "{'min_size': 2, 'max_size': 10, 'timeout': 10}"),
        (
            {"DATABASE_POOL_MAX_SIZE": "30", "DATABASE_POOL_MIN_SIZE": "0"},
            "{'min_size': 0, 'max_size': 30, 'timeout': 10}",
        ),
        ({"DATABASE_POOL": "0"}, "None"),
    ],
)
def test_postgresql_uses_django_connection_pool_unless_turned_off(env, pool):
    # Settings only: nothing connects to this database.
    url = "postgres://runa@127.0.0.1:1/runa"
    result = manage(
        "shell", "-c", _POOL, env=clean_env(DEBUG="1", DATABASE_URL=url, **env)
    )
    assert result.stdout.strip().splitlines()[-1] == pool, result.stderr


def test_sqlite_has_no_connection_pool():
    result = manage("shell", "-c", _POOL, env=clean_env(DEBUG="1"))
    assert result.stdout.strip().splitlines()[-1] == "None", result.stderr


_MAX_AGE = (
    "from django.conf import settings; "
    "d = settings.DATABASES['default']; "
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "60 True"),
        ({"DB_CONN_MAX_AGE": "0"}, "0 True"),
        # The pool keeps PostgreSQL's connections; without it they persist.
        ({"DATABASE_URL": "postgres://runa@127.0.0.1:1/runa"}, "0 True"),
        (
            {
                "DATABASE_URL": "postgres://runa@127.0.0.1:1/runa",
                "DATABASE_POOL": "0",
                "DB_CONN_MAX_AGE": "120",
            },
            "120 True",
        ),
    ],
)
def test_requests_keep_their_database_connection(env, expected):
    result = manage("shell", "-c", _MAX_AGE, env=clean_env(DEBUG="1", **env))
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr

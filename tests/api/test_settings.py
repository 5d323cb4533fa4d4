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

"""Settings of bench/rest_ladder.py's server: production settings plus the
reference views of bench/rest_urls.py. Nothing else differs."""

from backend.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.rest_urls"

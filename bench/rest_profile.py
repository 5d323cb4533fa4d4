"""Profile one step of the REST ladder in process (run by hand, not in CI).

    .venv/bin/python bench/rest_profile.py drf-bare drf-auth --requests 2000
    .venv/bin/python bench/rest_profile.py sessions --profile 30

Seeds a fresh SQLite file (or ``--database``) with the ladder's small data,
then sends each step's request ``--requests`` times through Django's test
client (the whole middleware stack, no sockets) and prints CPU µs per request;
``--profile N`` prints the N heaviest functions (cumulative) of the last step.
Where ``bench/rest_ladder.py`` says how much a layer costs, this says why.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("steps", nargs="+")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--size", default="small")
    parser.add_argument("--database", help="PostgreSQL URL (emptied!)")
    parser.add_argument("--redis", help="Redis URL: cache and cached_db sessions")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="runa-profile-"))
    from bench import rest_ladder

    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.rest_settings",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        USE_TLS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
        THROTTLE_USER="100000000/min",
        THROTTLE_ANON="100000000/min",
        DATABASE_URL=rest_ladder.prepare_database(args.database, workdir, args.size),
    )
    os.environ.pop("REDIS_URL", None)
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = rest_ladder.seed(args.size)

    from django.test import Client

    client = Client()
    profiler = cProfile.Profile()
    for name in args.steps:
        method, path, who = rest_ladder.STEPS[name]
        headers = {"HTTP_X_SESSION_TOKEN": data["tokens"][who]} if who else {}
        path = path.format(exercise=data["exercise"])

        def send(method=method, path=path, headers=headers):
            if method == "GET":
                return client.get(path, **headers)
            return client.post(
                path,
                rest_ladder.post_body(),
                content_type="application/json",
                **headers,
            )

        for _ in range(20):
            assert send().status_code < 300
        last = name == args.steps[-1] and args.profile
        start = time.process_time()
        if last:
            profiler.enable()
        for _ in range(args.requests):
            send()
        if last:
            profiler.disable()
        cpu = (time.process_time() - start) / args.requests
        queries = data["queries"][name]
        print(f"{name:14} {cpu * 1e6:8.0f} µs CPU per request ({queries} queries)")
    if args.profile:
        order = os.environ.get("SORT", "cumulative")  # or tottime
        pstats.Stats(profiler).sort_stats(order).print_stats(args.profile)


if __name__ == "__main__":
    main()

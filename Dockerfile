# Production image: daphne serving backend.asgi (HTTP + WebSockets).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 runa

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings but no real secret. Every app's catalogue
# (project, exercises, clubs, realtime, web) is compiled by the script `make`
# uses too.
RUN DEBUG=1 python manage.py collectstatic --noinput -v 0 \
    && python scripts/compile_translations.py --force

USER runa
EXPOSE 8000
# --websocket_timeout -1: never close a chat socket for its age (docs/deploy.md).
# No --proxy-headers: daphne would believe the leftmost X-Forwarded-For entry,
# which the client writes. The app reads the header itself, trusting only
# TRUSTED_PROXY_COUNT proxies (docs/deploy.md, "Client addresses").
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "--websocket_timeout", "-1", "backend.asgi:application"]

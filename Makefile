# Runa: `make run` serves the app with demo data, `make test` runs the suite.
# Both set up everything they need (a .venv with pinned requirements) first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip -q --disable-pip-version-check
PORT ?= 8000
export DEBUG ?= 1
# E-mailed links (verification, password reset) point at the server that sent
# them: `make run PORT=8001` links to :8001. An explicit FRONTEND_URL wins.
export FRONTEND_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test migrate demo messages lint format schema clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: $(VENV)/bin/python requirements.txt
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install -r requirements-dev.txt
	@touch $@

# Compiled translations are build output, not committed: every app's .po files
# are compiled by the same script the Dockerfile runs.
messages: $(VENV)/.runtime
	$(PY) scripts/compile_translations.py

migrate: $(VENV)/.runtime messages
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "  Runa is running on http://127.0.0.1:$(PORT)/  (the web app: sign up, practise)"
	@echo "    API docs (Swagger UI): http://127.0.0.1:$(PORT)/api/docs/"
	@echo "    OpenAPI schema:        http://127.0.0.1:$(PORT)/api/schema/"
	@echo "    Admin:                 http://127.0.0.1:$(PORT)/admin/"
	@echo "    Health:                http://127.0.0.1:$(PORT)/readyz"
	@echo ""
	$(VENV)/bin/daphne -b 127.0.0.1 -p $(PORT) --websocket_timeout -1 backend.asgi:application

test: $(VENV)/.dev messages
	DEBUG=0 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

schema: $(VENV)/.runtime
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

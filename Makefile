# Everything a fresh clone needs: `make run` to use it, `make test` to test it.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format bench loadtest clean worker beat run-all

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Development server: gunicorn on the embedded SQLite database with the demo data. Stop it with Ctrl+C.
# DEBUG stays off (our Chinese 404/500 pages; whitenoise serves the collected static files);
# `DEBUG=true make run` shows Django's debug pages, `make run PORT=8001` picks another port.
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "演示账号见 README“第一次使用”：管理员 admin，密码均为 haitang-demo（仅限本机开发）"
	@echo "gunicorn 正在 http://$(HOST):$(PORT)/ 提供服务；按 Ctrl+C 停止。"
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

# Background jobs (README "后台任务"): they need REDIS_URL, e.g. `REDIS_URL=redis://127.0.0.1:6379/0 make worker`.
# Without it tasks run inside the web process and neither is needed.
worker: install
	$(VENV)/bin/celery -A config worker --loglevel INFO --concurrency $${CELERY_CONCURRENCY:-2}

beat: install
	$(VENV)/bin/celery -A config beat --loglevel INFO --schedule $${CELERY_BEAT_SCHEDULE_FILE:-celerybeat-schedule}

# `make run` with a worker and beat beside gunicorn, all stopped together by Ctrl+C.
run-all: install
	test -n "$$REDIS_URL" || { echo "run-all 需要 REDIS_URL，例如 REDIS_URL=redis://127.0.0.1:6379/0 make run-all"; exit 1; }
	trap 'kill 0' INT TERM EXIT; $(MAKE) worker & $(MAKE) beat & $(MAKE) run

# The whole suite on SQLite; with DATABASE_URL=postgres://… the same suite on PostgreSQL.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks on city-scale data (set DATABASE_URL to measure on PostgreSQL); figures go in the README.
bench: install
	$(PY) -m tests.bench

# Load test (tests/load/run.py): gunicorn + PostgreSQL + Redis on this machine with city data, locust
# headless. Every figure can be changed: make loadtest LOAD_USERS=50 LOAD_TIME=30s LOAD_WORKERS=4 …
LOAD_USERS ?= 200
LOAD_TIME ?= 3m
LOAD_WORKERS ?= 2
LOAD_WORKER_CLASS ?= sync
LOAD_THREADS ?= 4
LOAD_BOOKERS ?= 16
LOAD_BOOKING_TIME ?= 1m
LOAD_RUNS ?= mix,saturated,booking
loadtest: install
	LOAD_USERS=$(LOAD_USERS) LOAD_TIME=$(LOAD_TIME) LOAD_WORKERS=$(LOAD_WORKERS) \
	LOAD_WORKER_CLASS=$(LOAD_WORKER_CLASS) LOAD_THREADS=$(LOAD_THREADS) LOAD_BOOKERS=$(LOAD_BOOKERS) \
	LOAD_BOOKING_TIME=$(LOAD_BOOKING_TIME) LOAD_RUNS=$(LOAD_RUNS) $(PY) tests/load/run.py

clean:
	rm -rf $(VENV) staticfiles test-output

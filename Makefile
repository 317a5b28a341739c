# 津管家 — `make run` serves the bot; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := bot

.PHONY: run test serve worker lint bench install seed clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

## run: install, migrate, load reference data, serve on 127.0.0.1:$(PORT) (SQLite + fakeredis by default)
run: install
	$(BIN)/python -m bot.serve --port $(PORT)

## serve: production server (gunicorn; needs DATABASE_URL, REDIS_URL, SECRET_KEY, WECHAT_TOKEN)
serve: install
	$(BIN)/flask db upgrade heads && $(BIN)/flask seed
	$(BIN)/gunicorn -c gunicorn.conf.py "bot:create_app()"

## worker: RQ worker for notifications and media downloads
worker: install
	$(BIN)/flask worker

## test: the whole suite, on SQLite and PostgreSQL, with a real Redis
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .

## bench: benchmarks that print figures (needs PostgreSQL, Redis and wrk on this machine)
bench: install
	$(BIN)/python bench/nlp_bench.py
	$(BIN)/python bench/garbage_bench.py
	$(BIN)/python bench/garbage_chat_bench.py
	$(BIN)/python bench/parking_bench.py
	$(BIN)/python bench/wechat_bench.py --mix help --rounds 3
	$(BIN)/python bench/wechat_bench.py --mix realistic --rounds 3
	$(BIN)/python bench/once_load.py --reports 10000
	$(BIN)/python bench/once_load.py --reports 10000 --nodes 2 --node-kills 1

seed: install
	$(BIN)/flask db upgrade heads && $(BIN)/flask seed

clean:
	rm -rf $(VENV) instance .pytest_cache

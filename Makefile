# TrustDesk: the two commands a new machine needs are `make run` (serve the chat app) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := .venv/bin/python
SHARED_STORE ?= ../shared/data/store
STORE_DIR ?= data/store
PG_SOCKET_DIR ?= /var/run/postgresql
DEV_DATA ?= ../shared/data/dev
GUARDS_DIR ?= var/models/guards
GUARD_SOURCES := $(wildcard app/guardrails/training*.py app/guardrails/detectors/*.py)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: help install data model guards ingest run serve test test-fast lint format type check bench bench-guards eval-guards browser clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced ## create .venv from the committed lock (uv)

data: install ## copy the demo store from ../shared/data (or download it at pinned commits, sha256-checked)
	$(PY) -m rag.demo_data --target $(STORE_DIR) --shared $(SHARED_STORE)

model: install ## export the MiniLM query encoder to ONNX (once; cached in var/)
	$(PY) -m app.cli build-encoder

# Retrained when the training code or a detector changes; skipped without the dev data.
$(GUARDS_DIR)/manifest.json: $(GUARD_SOURCES) | data model
	@if [ -d "$(DEV_DATA)" ]; then \
	  $(PY) -m app.guardrails.training --out $(GUARDS_DIR) --dev $(DEV_DATA); \
	else echo "no dev data in $(DEV_DATA): injection, toxicity and off-topic guards stay off"; fi

guards: $(GUARDS_DIR)/manifest.json ## train the input-guard detectors (injection, toxicity, off-topic) once

ingest: data model ## load, chunk, embed and index the demo store into Chroma (incremental)
	$(PY) -m app.cli ingest

run: ingest guards ## install, ingest the demo store and serve the chat app on http://127.0.0.1:8000
	$(PY) -m app.cli serve

serve: ## serve without re-ingesting
	$(PY) -m app.cli serve

browser: ## install Debian's chromium for the browser tests (needs apt and root)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (install Debian's chromium)"; fi; \
	fi

test: data model guards browser ## run the whole test suite with the network cut (loopback only)
	@pg=""; if [ -S $(PG_SOCKET_DIR)/.s.PGSQL.5432 ]; then \
	  pg="postgresql+psycopg://postgres@/test?host=$(PG_SOCKET_DIR)"; fi; \
	export TRUSTDESK_TEST_POSTGRES_URL="$${TRUSTDESK_TEST_POSTGRES_URL:-$$pg}"; \
	if unshare -rn true 2>/dev/null; then \
	  unshare -rn sh -c 'ip link set lo up && exec $(PY) -m pytest $(PYTEST_ARGS)'; \
	else echo "unshare unavailable: running with the network up"; $(PY) -m pytest $(PYTEST_ARGS); fi

lint: install ## ruff lint + format check
	$(PY) -m ruff check app rag evals tests
	$(PY) -m ruff format --check app rag evals tests

format: install ## apply ruff fixes and formatting
	$(PY) -m ruff check --fix app rag evals tests
	$(PY) -m ruff format app rag evals tests

type: install ## mypy (strict) on app rag evals
	$(PY) -m mypy app rag evals

check: lint type ## lint and type-check

bench: ingest ## ingest/retrieval/turn-overhead benchmark vs a bare LangChain chain; prints a table
	$(PY) -m evals.bench

bench-guards: ingest guards ## guard latency (input guards together: p95 <= 15 ms) on real shopper requests
	$(PY) -m evals.bench_guards --data-dir $(DEV_DATA)

eval-guards: guards ## per guard: precision, recall, FPR, latency; FPR on benign shopper requests
	$(PY) -m app.cli eval guards --dev-dir $(DEV_DATA)

clean: ## remove local state (Chroma, SQLite, encoder cache)
	rm -rf var

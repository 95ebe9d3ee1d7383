# sieve — the README's two commands are `make demo` and `make test`; both set themselves up.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev
BSTAMP := $(VENV)/.installed-bench
SAMPLES := $(wildcard tests/fixtures/pages/*.html)

.PHONY: help venv demo demo-offline test lint typecheck unit bench clean kafka-start kafka-stop

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

$(BSTAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $@

venv: $(STAMP)  ## create the virtualenv and install sieve with its dev tools

demo: $(STAMP)  ## the whole service on this machine: local Kafka, a worker, the sample pages in, clean events out
	KAFKA_DATA_DIR=$$(mktemp -d) SIEVE_DATA_DIR=$$(mktemp -d) deploy/demo-pipeline.sh

demo-offline: $(STAMP)  ## no Kafka: extract the bundled sample pages and print their events
	$(VENV)/bin/sieve demo

lint: $(STAMP)  ## ruff
	$(VENV)/bin/ruff check service tests bench

typecheck: $(STAMP)  ## mypy --strict on the package
	$(VENV)/bin/mypy --strict service/sieve

unit: $(STAMP)  ## pytest
	$(PY) -m pytest -q

test: lint typecheck unit  ## ruff, mypy --strict and pytest

bench: $(BSTAMP)  ## accuracy and speed on ../shared/corpus (needs ../shared)
	$(PY) bench/extraction.py

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis

kafka-start:  ## start the local Kafka broker (deploy/kafka-local.sh; needs Java 17 and Maven) and create the topics
	deploy/kafka-local.sh start
	deploy/kafka-local.sh topics

kafka-stop:  ## stop the local Kafka broker
	deploy/kafka-local.sh stop

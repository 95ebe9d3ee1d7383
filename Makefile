# sieve — the README's two commands are `make demo` and `make test`; both set themselves up.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-dev
BSTAMP := $(VENV)/.installed-bench
SAMPLES := $(wildcard tests/fixtures/pages/*.html)
# kustomize renders deploy/k8s for the tests: built from the Go module proxy into .cache/tools.
KUSTOMIZE_VERSION ?= v5.8.1
KUSTOMIZE := .cache/tools/kustomize-$(KUSTOMIZE_VERSION)/kustomize
# The mypyc-compiled package (setup.py, SIEVE_MYPYC=1), installed beside the pure editable one.
MYPYC_DIR := .cache/mypyc
MYPYC_SOURCES := setup.py pyproject.toml deploy/check-compiled.py \
	$(wildcard service/sieve/*.py service/sieve/pipeline/*.py service/sieve/schemas/*.json)

.PHONY: help venv demo demo-offline test lint typecheck unit bench clean kafka-start kafka-stop kustomize \
	deploy-test lock chromium compiled

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
	$(VENV)/bin/ruff check service tests bench deploy setup.py

typecheck: $(STAMP)  ## mypy --strict on the package
	$(VENV)/bin/mypy --strict service/sieve

unit: $(STAMP) $(KUSTOMIZE) chromium  ## pytest
	KUSTOMIZE=$(abspath $(KUSTOMIZE)) $(PY) -m pytest -q

# The inspect report's browser test (tests/test_inspect_browser.py) needs headless Chromium: Debian's
# package, installed here when missing (as root, or through sudo). The test fails, never skips, without it.
chromium:  ## install headless Chromium (Debian package) for the inspect report's browser test, if missing
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		echo "make: installing chromium (apt-get)"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	}
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		echo "make: chromium could not be installed; tests/test_inspect_browser.py will fail" >&2; }

test: lint typecheck unit  ## ruff, mypy --strict and pytest

bench: $(BSTAMP) compiled  ## accuracy and speed on ../shared/corpus, pure and compiled builds (needs ../shared)
	$(PY) bench/extraction.py --compiled $(MYPYC_DIR)
	$(PY) bench/structure.py

# The dev install stays pure Python; this builds the compiled one into $(MYPYC_DIR), again whenever a
# source is newer, with the virtualenv's mypy and setuptools (no build isolation: see setup.py). Use it
# with PYTHONPATH=$(MYPYC_DIR): PYTHONPATH comes first on sys.path, before the editable install (a
# path entry in a .pth file of site-packages).
compiled: $(MYPYC_DIR)/.built  ## the extraction core compiled with mypyc into .cache/mypyc: PYTHONPATH=.cache/mypyc .venv/bin/python ...

$(MYPYC_DIR)/.built: $(STAMP) $(MYPYC_SOURCES)
	rm -rf $(MYPYC_DIR)
	SIEVE_MYPYC=1 $(PY) -m pip install -q --no-deps --no-build-isolation --no-index --target $(MYPYC_DIR) .
	PYTHONPATH=$(MYPYC_DIR) $(PY) deploy/check-compiled.py
	touch $@

$(KUSTOMIZE):
	@command -v go >/dev/null 2>&1 || { echo "make: Go is needed to build kustomize $(KUSTOMIZE_VERSION)" >&2; exit 1; }
	GOBIN=$(abspath $(dir $@)) GOFLAGS=-buildvcs=false go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION)
	$@ version

kustomize: $(KUSTOMIZE)  ## build kustomize (for the deploy tests) from the Go module proxy into .cache/tools

deploy-test: $(STAMP) $(KUSTOMIZE)  ## the deployment tests only: compose, image, Kubernetes, replay-dlq
	KUSTOMIZE=$(abspath $(KUSTOMIZE)) $(PY) -m pytest -q tests/deploy tests/pipeline/test_replay.py

lock: $(STAMP)  ## re-pin deploy/requirements.lock (the image's dependencies) and deploy/build-requirements.lock (its build tools) from the virtualenv
	$(PY) deploy/lock-requirements.py > deploy/requirements.lock
	$(PY) deploy/lock-requirements.py --build > deploy/build-requirements.lock

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) $(MYPYC_DIR) .mypy_cache .ruff_cache .pytest_cache .hypothesis

kafka-start:  ## start the local Kafka broker (deploy/kafka-local.sh; needs Java 17 and Maven) and create the topics
	deploy/kafka-local.sh start
	deploy/kafka-local.sh topics

kafka-stop:  ## stop the local Kafka broker
	deploy/kafka-local.sh stop

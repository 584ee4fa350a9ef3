# eventguard: `make synth` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CDK_DISABLE_VERSION_CHECK := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export CDK_VALIDATION := false

.PHONY: setup synth test lint typecheck pytest bench fuzz clean

setup: $(VENV)/.stamp node_modules/.stamp

$(VENV)/.stamp: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

synth: setup
	npx cdk synth --quiet --no-validation
	$(PY) -m eventguard audit cdk.out

lint: setup
	$(VENV)/bin/ruff check eventguard tests bench examples app.py
	$(VENV)/bin/ruff format --check eventguard tests bench examples app.py

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup
	$(PY) -m pytest -q -p no:cacheprovider

test: lint typecheck pytest

bench: setup
	@$(PY) bench/run.py --shared ../shared

fuzz: setup
	@$(PY) bench/fuzz.py --seconds $${FUZZ_SECONDS:-60}

clean:
	rm -rf cdk.out build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

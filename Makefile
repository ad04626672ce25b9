# Developer commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the tests and extras need (installed as root when missing).
APT_PACKAGES := g++ p7zip-full postgresql-client

.PHONY: install system-packages demo test test-fast check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "please install as root:$$missing"; fi; \
	fi

install: system-packages $(BIN)/python
	$(BIN)/pip install --quiet -e ".[all,dev]"

demo: install
	$(BIN)/kavach demo --workdir build/demo

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow" -x -q

check: install
	scripts/check

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

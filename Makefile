# One entry point for people and CI. `make test` is what CI runs (through .ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
SAM_VENV := .tools/sam
SAM := $(SAM_VENV)/bin/sam
SAM_VERSION := 1.170.0
# sam build needs the Lambda runtime's Python (3.12) on PATH; pyenv keeps it outside PATH.
PY312_BIN := $(shell for p in "$$(command -v python3.12 2>/dev/null)" $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null) /usr/bin/python3.12; do [ -n "$$p" ] && "$$p" -c "" 2>/dev/null && { dirname "$$p"; break; }; done)
# The venv runs the Lambda runtime's Python (3.12) when it is installed, else python3.
PYTHON ?= $(if $(PY312_BIN),$(PY312_BIN)/python3.12,python3)
SAM_PYTHON ?= python3

PORT ?= 3000
WORKSPACE ?=
SCOPES ?= sender_accounts:read,sender_accounts:write
STACK ?=
FUNCTION ?=
EVENT ?=
FRESH ?=

.PHONY: help venv sam-cli mail-server browser test unit lint typecheck sam-validate sam-build pytest \
	serve api-key invoke bench clean

help:
	@echo "make serve      the whole stack on this machine (no Docker); its data is kept, FRESH=1 starts empty"
	@echo "make test       every test and check, as CI runs them"
	@echo "make unit       the unit tier alone: no network, seconds"
	@echo "make bench      the benchmarks: a table and a chart"
	@echo "make api-key WORKSPACE=<name> [SCOPES=...] [STACK=<deployed stack>]"
	@echo "make invoke FUNCTION=<logical id> EVENT=events/<file>.json"

$(VENV)/.installed: requirements-dev.txt layers/sender_accounts/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

$(SAM_VENV)/.installed:
	$(SAM_PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --disable-pip-version-check aws-sam-cli==$(SAM_VERSION)
	touch $@

sam-cli: $(SAM_VENV)/.installed

# The tests run a real Dovecot (and `make serve` its demo mailbox), a second mail stack, and the
# README's curl commands; on Debian with root all are installed when missing.
mail-server:
	@if ! command -v curl >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; \
	fi
	@# Dovecot with LMTP delivery and Sieve: warm-up delivers between its mailboxes.
	@if ! { command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ]; } \
		|| [ ! -x /usr/lib/dovecot/lmtp ] || ! command -v sievec >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				dovecot-imapd dovecot-submissiond dovecot-lmtpd dovecot-sieve >/dev/null; \
		else echo "Install Dovecot (dovecot-imapd, dovecot-submissiond, dovecot-lmtpd, dovecot-sieve) to run the mail tests"; fi; \
	fi
	@# A second mail stack for the tests: Postfix with Cyrus SASL, and GNU Mailutils' imap4d.
	@if [ ! -x /usr/sbin/postfix ] || [ ! -x /usr/sbin/saslpasswd2 ] || [ ! -x /usr/sbin/imap4d ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				postfix sasl2-bin libsasl2-modules mailutils-imap4d >/dev/null; \
		else echo "Install postfix, sasl2-bin, libsasl2-modules, mailutils-imap4d to run the mail tests"; fi; \
	fi

# A test opens the Swagger page in headless Chromium; on Debian with root it is installed.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				chromium chromium-driver >/dev/null; \
		else echo "Install Chromium and its driver to run the Swagger page test"; fi; \
	fi

# The import rules of the layer's README (pyproject's [tool.importlinter]) and the size rule.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=layers/sender_accounts:. $(VENV)/bin/lint-imports --no-cache
	$(PY) -m tests.support.module_sizes layers/sender_accounts/sender_accounts 300

typecheck: venv
	$(VENV)/bin/mypy

sam-validate: sam-cli
	AWS_DEFAULT_REGION=us-east-1 SAM_CLI_TELEMETRY=0 $(SAM) validate --lint

sam-build: sam-cli
	@test -n "$(PY312_BIN)" || { echo "sam build needs Python 3.12 (the Lambda runtime)"; exit 1; }
	PATH="$(PY312_BIN):$$PATH" SAM_CLI_TELEMETRY=0 $(SAM) build --parallel --cached

# Two processes, each with its own local stack and mail servers, a test file each at a time
# (pytest-xdist); the contract fuzzing after them in one process (under xdist its operations are
# not each run).
pytest: venv sam-cli mail-server browser
	$(PY) -m pytest -n 2 --dist loadfile --ignore=tests/contract --durations=15
	$(PY) -m pytest tests/contract -q

# The unit tier alone: use cases against in-memory fakes, no network, no AWS emulation.
unit: venv
	$(PY) -m pytest tests/unit -q

# The static checks and the build run two at a time (the machine CI runs on has two cores), the
# tests after them: the packaging tests read the build.
test:
	$(MAKE) --no-print-directory -j2 --output-sync=target lint typecheck sam-validate sam-build
	$(MAKE) --no-print-directory pytest

# The data is kept across restarts in .local-stack/; FRESH=1 starts empty.
serve: venv sam-cli mail-server
	PORT=$(PORT) FRESH=$(FRESH) $(PY) -m local_stack.serve

api-key: venv
	@$(PY) -m local_stack.api_key --workspace "$(WORKSPACE)" --scopes "$(SCOPES)" $(if $(STACK),--stack "$(STACK)")

invoke: venv
	@$(PY) -m local_stack.invoke --function "$(FUNCTION)" --event "$(EVENT)"

bench: venv sam-cli mail-server
	$(PY) -m tests.bench

clean:
	rm -rf .aws-sam .local-stack

# The README's two commands are `make run` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FLASK_APP := wsgi.py
# the suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process
TEST_WORKERS ?= auto

.PHONY: run test lint format translations extract-messages bench bundle clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d core/translations

# a developer's machine: the development secret key is allowed (a server refuses to start with it)
run: export COUNSEL_DEVELOPMENT := true
# log lines a person reads in a terminal (a server writes JSON, one object a line)
run: export COUNSEL_LOG_FORMAT := text
run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask demo logins
	@echo "Counsel is starting on http://127.0.0.1:5000 (Ctrl-C stops the web server and the scheduler)"
	@$(BIN)/flask scheduler run & sched=$$!; \
	  trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port 5000

test: translations
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n $(TEST_WORKERS) --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --ignore-dirs=".* __pycache__" -o core/translations/messages.pot .
	$(BIN)/pybabel update -i core/translations/messages.pot -d core/translations

bench: translations
	@command -v wrk >/dev/null || (echo "bench: installing wrk" && apt-get install -y -qq wrk)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/throughput.py

# the offline installation archive for the intranet server: dist/counsel-*.tar.gz (scripts/bundle.sh)
bundle: translations
	PYTHON=$(BIN)/python bash scripts/bundle.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage

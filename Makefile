# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
.PHONY: setup run test lint typecheck pytest bench clean

VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	@bash scripts/setup.sh

run: setup
	$(BIN)/chatdata serve --host $(HOST) --port $(PORT)

lint:
	$(BIN)/ruff check src tests bench eval
	$(BIN)/ruff format --check src tests bench eval
	bash scripts/check_frontend.sh

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -q

test: setup lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

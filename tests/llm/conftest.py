"""Fixtures of the LLM test double come from `tests.llm.fixtures`, registered for the whole
suite in tests/conftest.py (`pytest_plugins`)."""

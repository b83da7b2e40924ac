"""Steps the browser tests share: sign in and upload through the API, ask, run code."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PASSWORD, Server

CHART_TIMEOUT_MS = 30_000  # Plotly loads lazily and draws slowly on a busy 2-core machine


def api_token(server: Server, email: str) -> str:
    response = httpx.post(
        f"{server.api}/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def api_upload(server: Server, email: str, csv: Path) -> str:
    """Upload through the API and wait until the dataset is ready; returns its id."""
    headers = {"Authorization": f"Bearer {api_token(server, email)}"}
    with csv.open("rb") as handle:
        response = httpx.post(
            f"{server.api}/datasets/upload",
            files={"file": (csv.name, handle, "text/csv")},
            headers=headers,
            timeout=60,
        )
    assert response.status_code == 202, response.text
    dataset_id = str(response.json()["id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = httpx.get(f"{server.api}/datasets/{dataset_id}", headers=headers).json()["status"]
        if status != "processing":
            assert status == "ready"
            return dataset_id
        time.sleep(0.3)
    raise AssertionError("dataset not ready in 60 s")


def run_code(page: Page, code: str) -> Locator:
    """Run code from the composer's Python mode; returns the message that shows its cell."""
    messages = page.get_by_test_id("user-code-message")
    before = messages.count()
    page.get_by_test_id("chat-input").fill(code)
    page.get_by_test_id("chat-run").click()
    expect(messages).to_have_count(before + 1, timeout=60_000)
    return messages.nth(before)


def ask(page: Page, question: str) -> Locator:
    """Send a question; returns the assistant's stored answer once the turn is done."""
    answers = page.get_by_test_id("assistant-message")
    before = answers.count()
    page.get_by_test_id("chat-input").fill(question)
    page.get_by_test_id("chat-send").click()
    expect(answers).to_have_count(before + 1, timeout=90_000)
    return answers.nth(before)

"""End-to-end fixtures: the built web UI served by a real `chatdata serve` process on a free
port (temporary data dir), driven by Debian's headless Chromium through Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "e2e-Password-2024"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)


@dataclass(frozen=True)
class Server:
    """A running server: its base URL and an API helper."""

    url: str

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    def register(self, email: str, username: str) -> None:
        """Create an account through the API (for users a test does not register by hand)."""
        response = httpx.post(
            f"{self.api}/auth/register",
            json={"email": email, "username": username, "password": PASSWORD},
            timeout=30,
        )
        assert response.status_code == 201, response.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server not healthy in 60 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def web_ui_built() -> None:
    """Build the UI if its sources changed (a no-op when the build stamp is current)."""
    subprocess.run(["bash", str(ROOT / "scripts" / "build_frontend.sh")], check=True, cwd=ROOT)


@pytest.fixture(scope="session")
def server(web_ui_built: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`chatdata serve` in a subprocess with its own data dir and the built-in analyst (and the
    test-only slow task type, so the tasks screens can show a task in progress)."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATDATA_")}
    env.update(
        CHATDATA_DATA_DIR=str(data_dir),
        CHATDATA_LLM_PRESET="builtin",
        CHATDATA_LOG_LEVEL="WARNING",
        CHATDATA_TEST_TASK_TYPES="1",
    )
    log = data_dir / "server.log"
    chatdata = Path(sys.executable).with_name("chatdata")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(chatdata), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield Server(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (never a downloaded browser).

    Module-scoped on purpose: the sync Playwright API keeps an event loop running in this
    thread while it is open, which would break the asyncio tests of later modules.
    """
    assert CHROMIUM.exists(), "install Debian's chromium package (apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def new_context(browser: Browser, server: Server, **options: object) -> BrowserContext:
    """A fresh browser profile (own storage) on the server, English unless told otherwise."""
    settings: dict[str, object] = {"viewport": DESKTOP, "locale": "en-US", "base_url": server.url}
    settings.update(options)
    context = browser.new_context(**settings)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A desktop-sized page in a fresh profile."""
    context = new_context(browser, server)
    yield context.new_page()
    context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    expect(page.locator(".ant-spin-spinning")).to_have_count(0)
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def sign_in(page: Page, email: str) -> None:
    """Sign in through the login form and wait for the datasets page."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/datasets")


def sample_csv(path: Path, rows: int = 240) -> Path:
    """A small sales CSV with an email column (PII) and a few duplicate rows."""
    cities = ["Paris", "Berlin", "Rome", "Madrid"]
    lines = ["order_id,customer,email,city,price,quantity"]
    for i in range(rows):
        price = 5 + (i * 37 % 450) / 10
        lines.append(
            f"{i},Customer {i},customer{i}@example.com,{cities[i % 4]},{price:.2f},{1 + i % 7}"
        )
    lines.extend(lines[1:4])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path

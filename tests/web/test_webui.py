"""The static web UI mount: SPA fallback, cache headers, gzip twins, API paths kept as JSON."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from httpx import ASGITransport, AsyncClient

from chatdata.error_handlers import install_error_handlers
from chatdata.webui import ASSET_CACHE, INDEX_CACHE, OTHER_FILE_CACHE, mount_web_ui

INDEX = '<!doctype html><script src="/assets/app-1a2b.js"></script>'
ASSET = "console.log('chat data');\n" * 50


def build_web_dir(root: Path) -> Path:
    """A web dir like Vite's output: index.html, a hashed asset with its .gz twin, a favicon."""
    web = root / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text(INDEX, encoding="utf-8")
    (web / "assets" / "app-1a2b.js").write_text(ASSET, encoding="utf-8")
    (web / "assets" / "app-1a2b.js.gz").write_bytes(gzip.compress(ASSET.encode()))
    (web / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    (root / "secret.txt").write_text("do not serve", encoding="utf-8")
    return web


def build_app(web_dir: Path) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter()

    @router.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    app.include_router(router, prefix="/api/v1")
    mount_web_ui(app, web_dir)
    return app


@pytest.fixture
async def client(tmp_path: Path) -> AsyncClient:
    app = build_app(build_web_dir(tmp_path))
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://ui.test")


async def test_index_and_client_routes_answer_index_html_without_caching(
    client: AsyncClient,
) -> None:
    for path in ("/", "/index.html", "/datasets", "/datasets/42/chat/7", "/teams?x=1"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX
        assert response.headers["cache-control"] == INDEX_CACHE
        assert response.headers["content-type"].startswith("text/html")


async def test_hashed_assets_are_cached_for_a_year(client: AsyncClient) -> None:
    response = await client.get("/assets/app-1a2b.js", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.text == ASSET
    assert response.headers["cache-control"] == ASSET_CACHE
    assert "content-encoding" not in response.headers
    assert response.headers["content-type"].startswith("text/javascript")


async def test_assets_are_served_precompressed_to_gzip_clients(client: AsyncClient) -> None:
    response = await client.get("/assets/app-1a2b.js", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert int(response.headers["content-length"]) == len(gzip.compress(ASSET.encode()))
    assert response.text == ASSET  # httpx decodes it back
    assert response.headers["content-type"].startswith("text/javascript")


async def test_other_files_get_a_short_cache(client: AsyncClient) -> None:
    response = await client.get("/favicon.svg")
    assert response.status_code == 200
    assert response.text == "<svg/>"
    assert response.headers["cache-control"] == OTHER_FILE_CACHE


async def test_missing_asset_is_404_not_index(client: AsyncClient) -> None:
    response = await client.get("/assets/app-old.js")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_api_paths_keep_their_json_answers(client: AsyncClient) -> None:
    assert (await client.get("/api/v1/ping")).json() == {"pong": "yes"}
    missing = await client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {
            "code": "not_found",
            "message": "No API endpoint at /api/v1/no-such-thing.",
            "details": None,
        }
    }
    assert (await client.get("/api")).status_code == 404


async def test_files_outside_the_web_dir_are_never_served(client: AsyncClient) -> None:
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
        response = await client.get(path)
        assert "do not serve" not in response.text, path


async def test_head_requests_work(client: AsyncClient) -> None:
    response = await client.head("/datasets")
    assert response.status_code == 200
    assert response.headers["cache-control"] == INDEX_CACHE
    assert response.content == b""


async def test_unbuilt_ui_answers_a_clear_503(tmp_path: Path) -> None:
    app = build_app(tmp_path / "nothing-here")
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://ui.test") as c:
        response = await c.get("/datasets")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "web_ui_missing"

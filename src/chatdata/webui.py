"""Serve the built web UI (`chatdata/web/`) at `/`, with SPA routing and cache headers.

Hashed files under `/assets/` are cached for a year (their names change with their content) and
served pre-compressed (`.gz` beside them) to clients that accept gzip; `index.html` is never cached,
so a new build is picked up on the next load. Any other path that is not a file and not under
`/api/` answers `index.html`, and the browser-side router shows the page. Unknown `/api/` paths keep
answering the JSON error shape.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from chatdata.errors import NotFound, ServiceUnavailable

ASSET_CACHE = "public, max-age=31536000, immutable"
INDEX_CACHE = "no-cache"
OTHER_FILE_CACHE = "public, max-age=3600"
DEFAULT_WEB_DIR = Path(__file__).parent / "web"


def _inside(root: Path, relative: str) -> Path | None:
    """The file `relative` under `root`, or None when it is missing or escapes `root`."""
    if not relative or "\x00" in relative:
        return None
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _asset_response(request: Request, path: Path) -> Response:
    """A hashed asset, pre-compressed when a `.gz` twin exists and the client accepts gzip."""
    headers = {"Cache-Control": ASSET_CACHE, "Vary": "Accept-Encoding"}
    compressed = path.with_name(path.name + ".gz")
    if compressed.is_file() and _accepts_gzip(request):
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers["Content-Encoding"] = "gzip"
        return FileResponse(compressed, media_type=media_type, headers=headers)
    return FileResponse(path, headers=headers)


def _index_response(web_dir: Path) -> Response:
    index = web_dir / "index.html"
    if not index.is_file():
        raise ServiceUnavailable(
            "The web UI has not been built; run scripts/build_frontend.sh.",
            code="web_ui_missing",
        )
    return FileResponse(index, media_type="text/html", headers={"Cache-Control": INDEX_CACHE})


def mount_web_ui(app: FastAPI, web_dir: Path = DEFAULT_WEB_DIR) -> None:
    """Add the catch-all GET route serving the UI; call it after every API router is included."""
    root = web_dir.resolve()

    async def serve_web_ui(request: Request, path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            raise NotFound(f"No API endpoint at /{path}.")
        if path == "index.html":
            return _index_response(root)
        found = _inside(root, path)
        if found is not None:
            if path.startswith("assets/"):
                return _asset_response(request, found)
            return FileResponse(found, headers={"Cache-Control": OTHER_FILE_CACHE})
        if path.startswith("assets/"):
            raise NotFound(f"No file at /{path}.")
        return _index_response(root)

    app.add_api_route(
        "/{path:path}",
        serve_web_ui,
        methods=["GET", "HEAD"],
        include_in_schema=False,
        name="web_ui",
    )

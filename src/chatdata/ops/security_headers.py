"""Security headers of every response: one Content-Security-Policy per kind of page.

API answers (JSON, files to download, `/metrics`) get a policy that allows nothing. The web
UI gets what its built bundle needs: scripts and styles from the origin only, inline styles
(Ant Design and Plotly write `<style>` elements), `data:`/`blob:` images (Plotly's charts
and "download as PNG"), and nothing from elsewhere. The interactive API docs load Swagger UI
and ReDoc from their CDN with an inline start-up script, so `/docs` and `/redoc` get a
policy that allows exactly that. `Strict-Transport-Security` is sent only when the
deployment says it is served over HTTPS (`behind_https`).
"""

from __future__ import annotations

Header = tuple[bytes, bytes]

BASE_HEADERS: tuple[Header, ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
WEB_UI_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {DOCS_CDN}; "
    f"style-src 'self' 'unsafe-inline' {DOCS_CDN} https://fonts.googleapis.com; "
    "font-src 'self' data: https://fonts.gstatic.com; img-src 'self' data: https:; "
    f"worker-src 'self' blob:; connect-src 'self' {DOCS_CDN}; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)
HSTS: Header = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
API_PREFIXES = ("/api/", "/metrics", "/openapi.json")
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeaders:
    """The header lists for API, docs and web UI responses, built once."""

    def __init__(self, *, hsts: bool) -> None:
        extra = (HSTS,) if hsts else ()
        self.api = self._with(API_POLICY, extra)
        self.docs = self._with(DOCS_POLICY, extra)
        self.web_ui = self._with(WEB_UI_POLICY, extra)

    @staticmethod
    def _with(policy: str, extra: tuple[Header, ...]) -> tuple[Header, ...]:
        return (*BASE_HEADERS, (b"content-security-policy", policy.encode()), *extra)

    def for_path(self, path: str) -> tuple[Header, ...]:
        """The headers a response to `path` carries."""
        if path.startswith(API_PREFIXES):
            return self.api
        if path.startswith(DOCS_PATHS):
            return self.docs
        return self.web_ui

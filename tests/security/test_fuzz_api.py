"""Fuzz every API operation with schemathesis (bounded; `bench/fuzz.py` runs the long one).

The app runs with uvicorn on loopback (its own thread and event loop, lifespan on), signed
in as a platform admin (so the admin routes are reached too) who owns a seeded dataset,
team, share, conversation, task and report for the generated requests to find. The test
fails with every finding listed: a 5xx, an undocumented status or content type, a body
that does not match the schema, or an error not in the one error shape.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import requests

from chatdata.app import create_app
from tests.conftest import make_settings
from tests.security.fuzz_engine import (
    API,
    EXCLUDED,
    Target,
    create_account,
    free_port,
    fuzz_api,
    seed_objects,
    serve_in_thread,
    sign_in,
)

MAX_EXAMPLES = 12  # per operation; the whole test stays well under a minute per backend


@pytest.fixture(scope="module")
def fuzz_target(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """A served app with its admin signed in and objects seeded."""
    settings = make_settings(tmp_path_factory.mktemp("fuzz"), database_url)
    admin = f"fuzz-admin-{uuid.uuid4().hex[:8]}@example.com"
    with serve_in_thread(create_app(settings), free_port()) as url:
        create_account(settings, admin, "admin")
        yield seed_objects(url, sign_in(url, admin))


def test_fuzz_every_operation(fuzz_target: Target) -> None:
    """No 5xx, documented statuses and types, schema-true bodies, one error shape."""
    report = fuzz_api(fuzz_target, MAX_EXAMPLES)
    print("\n" + report.summary())
    schema = requests.get(f"{fuzz_target.base_url}/openapi.json", timeout=30).json()
    declared = {f"{m.upper()} {path}" for path, ops in schema["paths"].items() for m in ops}
    assert set(report.operations) == declared - set(EXCLUDED)
    assert report.examples >= 5 * len(report.operations)
    assert not report.findings, report.summary()
    # The seeded ids were found: real objects answered, not only 404s and 422s.
    assert report.statuses[200] >= len(report.operations)


# --- what the fuzzer found, pinned (each was a 500 or a schema violation) -----------------
def upload(target: Target, content_type: str, body: bytes) -> requests.Response:
    """A raw upload request."""
    headers = {**target.headers, "Content-Type": content_type}
    return requests.post(
        f"{target.base_url}{API}/datasets/upload", data=body, headers=headers, timeout=60
    )


def test_malformed_multipart_is_a_400(fuzz_target: Target) -> None:
    """A part header the multipart parser rejects is the client's error, not a 500."""
    boundary = "b0undary"
    body = f"--{boundary}\r\n-2.2e-313--{boundary}--\r\n".encode()
    response = upload(fuzz_target, f"multipart/form-data; boundary={boundary}", body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "malformed_multipart"


def test_file_name_outside_latin1_is_kept(fuzz_target: Target) -> None:
    """A UTF-8 file name (any character) is read as sent, not a 500 nor mojibake."""
    boundary = "b0undary"
    name = "données-📈.csv"
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
        "a,b\r\n1,2\r\n"
        f"\r\n--{boundary}--\r\n"
    ).encode()
    response = upload(fuzz_target, f"multipart/form-data; boundary={boundary}", body)
    assert response.status_code == 202, response.text
    assert response.json()["name"] == "données-📈"


def test_huge_offsets_are_refused(fuzz_target: Target) -> None:
    """Offsets past what the database stores answer 422, not a 500."""
    url = f"{fuzz_target.base_url}{API}/datasets"
    response = requests.get(url, params={"offset": 2**70}, headers=fuzz_target.headers, timeout=30)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


def test_times_carry_their_offset(fuzz_target: Target) -> None:
    """Timestamps read back from the database are UTC with an offset (SQLite stores none)."""
    base, headers = f"{fuzz_target.base_url}{API}", fuzz_target.headers
    me = requests.get(f"{base}/auth/me", headers=headers, timeout=30).json()
    teams = requests.get(f"{base}/teams", headers=headers, timeout=30).json()
    for moment in [me["created_at"], *(team["created_at"] for team in teams)]:
        assert datetime.fromisoformat(moment).utcoffset() == timedelta(0), moment


def test_nul_text_is_refused_or_stored_never_a_500(fuzz_target: Target, database_url: str) -> None:
    """PostgreSQL cannot store NUL in text: 422 in the error shape there; SQLite stores it."""
    want = 200 if database_url.startswith("sqlite") else 422
    base, headers = f"{fuzz_target.base_url}{API}", fuzz_target.headers
    searched = requests.get(f"{base}/datasets", params={"q": "a\x00b"}, headers=headers, timeout=30)
    url = f"{base}/teams/{fuzz_target.ids['team_id']}"
    renamed = requests.patch(url, json={"name": "Fuzz\u0000team"}, headers=headers, timeout=30)
    for response in (searched, renamed):
        assert response.status_code == want, response.text
        if want == 422:
            assert response.json()["error"]["code"] == "validation_error"

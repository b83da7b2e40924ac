"""The datasets API end to end: upload -> ingest -> profile -> rows, versions, sharing, access."""

from __future__ import annotations

import io
import uuid

import pyarrow.parquet as pq
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook

from tests.datasets.api_helpers import API, upload_bytes, upload_ready, wait_for
from tests.support import assert_error, register

CSV = (
    b"id,product,email,amount,joined\n"
    b"1,apple,ann.lee@example.com,10.5,2024-01-05\n"
    b"2,pear,bob.ray@example.org,20.0,2024-02-10\n"
    b"3,plum,cid.moe@example.net,,2024-03-15\n"
    b"4,fig,dee.fox@example.com,30.5,2024-04-20\n"
)


async def test_upload_becomes_ready_with_profile(client: AsyncClient) -> None:
    owner = await register(client, "owner")
    response = await upload_bytes(client, owner, CSV, "people.csv")
    assert response.status_code == 202
    created = response.json()
    assert created["status"] == "processing" and created["name"] == "people"
    assert created["my_access"] == "manage"
    detail = await wait_for(client, owner, created["id"])
    assert detail["status"] == "ready" and detail["progress"] == 100
    assert detail["row_count"] == 4 and detail["column_count"] == 5
    assert detail["file_type"] == "csv"
    columns = {c["name"]: c for c in detail["columns"]}
    assert [c["name"] for c in detail["columns"]] == ["id", "product", "email", "amount", "joined"]
    amount = columns["amount"]["statistics"]
    assert amount["null_count"] == 1
    assert abs(amount["mean"] - (10.5 + 20.0 + 30.5) / 3) < 1e-9
    assert columns["joined"]["data_type"] == "date"
    assert columns["email"]["pii"]["kind"] == "email"
    # Sample values of a PII column are masked in the profile.
    assert all(v != "ann.lee@example.com" for v in columns["email"]["sample_values"])
    version = detail["current_version"]
    assert version["number"] == 1 and version["operation"] == "upload"
    assert len(version["content_hash"]) == 64
    versions = await client.get(f"{API}/datasets/{created['id']}/versions", headers=owner.headers)
    assert [v["number"] for v in versions.json()] == [1]


async def test_sample_masks_pii_and_owner_can_unmask(client: AsyncClient) -> None:
    owner, viewer = await register(client, "owner"), await register(client, "viewer")
    detail = await upload_ready(client, owner, CSV)
    url = f"{API}/datasets/{detail['id']}/sample"
    page = (await client.get(url, params={"n": 2, "offset": 1}, headers=owner.headers)).json()
    assert page["total_rows"] == 4 and page["offset"] == 1 and page["masked_columns"] == ["email"]
    assert [r["id"] for r in page["rows"]] == [2, 3]
    assert page["rows"][0]["email"] != "bob.ray@example.org"
    assert "***" in page["rows"][0]["email"]
    assert {c["name"] for c in page["columns"]} == {"id", "product", "email", "amount", "joined"}
    raw = (await client.get(url, params={"unmask": "true"}, headers=owner.headers)).json()
    assert raw["rows"][1]["email"] == "bob.ray@example.org" and raw["masked_columns"] == []
    await client.post(
        f"{API}/datasets/{detail['id']}/share", json={"email": viewer.email}, headers=owner.headers
    )
    assert_error(await client.get(url, params={"unmask": "true"}, headers=viewer.headers), 403)
    random_a = (
        await client.get(url, params={"random": "true", "n": 3, "seed": 7}, headers=viewer.headers)
    ).json()
    random_b = (
        await client.get(url, params={"random": "true", "n": 3, "seed": 7}, headers=viewer.headers)
    ).json()
    assert len(random_a["rows"]) == 3 and random_a["rows"] == random_b["rows"]


async def test_list_filters_search_sort_pagination(client: AsyncClient) -> None:
    owner, friend = await register(client, "owner"), await register(client, "friend")
    tag = uuid.uuid4().hex[:6]
    first = await upload_ready(client, owner, CSV, f"alpha-{tag}.csv")
    second = await upload_ready(client, owner, CSV, f"beta-{tag}.csv")
    shared = await upload_ready(client, friend, CSV, f"gamma-{tag}.csv")
    await client.post(
        f"{API}/datasets/{shared['id']}/share", json={"email": owner.email}, headers=friend.headers
    )

    async def names(**params: str) -> list[str]:
        response = await client.get(
            f"{API}/datasets", params={"q": tag, **params}, headers=owner.headers
        )
        assert response.status_code == 200, response.text
        return [d["name"] for d in response.json()["items"]]

    assert await names(sort="name") == [f"alpha-{tag}", f"beta-{tag}", f"gamma-{tag}"]
    assert await names(scope="mine", sort="-name") == [f"beta-{tag}", f"alpha-{tag}"]
    assert await names(scope="shared") == [f"gamma-{tag}"]
    assert await names(scope="public") == []
    page = (
        await client.get(
            f"{API}/datasets",
            params={"q": tag, "limit": 1, "offset": 1, "sort": "name"},
            headers=owner.headers,
        )
    ).json()
    assert page["total"] == 3 and [d["name"] for d in page["items"]] == [f"beta-{tag}"]
    items = (await client.get(f"{API}/datasets", params={"q": tag}, headers=owner.headers)).json()[
        "items"
    ]
    access = {d["id"]: d["my_access"] for d in items}
    assert access == {first["id"]: "manage", second["id"]: "manage", shared["id"]: "read"}
    assert_error(
        await client.get(f"{API}/datasets", params={"sort": "password"}, headers=owner.headers), 400
    )


async def test_edit_share_roles_and_unshare(client: AsyncClient) -> None:
    owner, editor, viewer = [await register(client, n) for n in ("o", "e", "v")]
    detail = await upload_ready(client, owner, CSV)
    url = f"{API}/datasets/{detail['id']}"
    for who, role in ((editor, "editor"), (viewer, "viewer")):
        share = await client.post(
            f"{url}/share", json={"email": who.email, "role": role}, headers=owner.headers
        )
        assert share.status_code == 201 and share.json()["role"] == role
    assert_error(await client.put(url, json={"name": "mine now"}, headers=viewer.headers), 403)
    assert_error(await client.delete(url, headers=viewer.headers), 403)
    edited = await client.put(
        url, json={"name": "renamed", "tags": ["sales", " "]}, headers=editor.headers
    )
    assert edited.status_code == 200 and edited.json()["name"] == "renamed"
    assert edited.json()["tags"] == ["sales"]
    assert_error(await client.put(url, json={"is_public": True}, headers=editor.headers), 403)
    assert_error(await client.delete(url, headers=editor.headers), 403)
    assert_error(
        await client.post(f"{url}/share", json={"email": viewer.email}, headers=editor.headers), 403
    )
    shares = (await client.get(f"{url}/shares", headers=owner.headers)).json()
    assert {s["user_email"] for s in shares} == {editor.email, viewer.email}
    viewer_share = next(s for s in shares if s["user_email"] == viewer.email)
    removed = await client.delete(f"{url}/share/{viewer_share['id']}", headers=owner.headers)
    assert removed.status_code == 204
    assert_error(await client.get(url, headers=viewer.headers), 404)


async def test_public_dataset_readable_by_all_writable_by_owner_only(client: AsyncClient) -> None:
    owner, stranger = await register(client, "o"), await register(client, "s")
    detail = await upload_ready(client, owner, CSV)
    url = f"{API}/datasets/{detail['id']}"
    assert_error(await client.get(url, headers=stranger.headers), 404)
    published = await client.put(url, json={"is_public": True}, headers=owner.headers)
    assert published.status_code == 200 and published.json()["is_public"] is True
    seen = await client.get(url, headers=stranger.headers)
    assert seen.status_code == 200 and seen.json()["my_access"] == "read"
    public = (
        await client.get(f"{API}/datasets/public", params={"limit": 200}, headers=stranger.headers)
    ).json()
    assert detail["id"] in {d["id"] for d in public["items"]}
    sample = (await client.get(f"{url}/sample", headers=stranger.headers)).json()
    assert sample["masked_columns"] == ["email"]
    assert_error(await client.put(url, json={"name": "x"}, headers=stranger.headers), 403)
    assert_error(await client.delete(url, headers=stranger.headers), 403)
    assert_error(
        await client.post(f"{url}/share", json={"email": stranger.email}, headers=stranger.headers),
        403,
    )


async def test_stranger_gets_404_everywhere(client: AsyncClient) -> None:
    owner, stranger = await register(client, "o"), await register(client, "s")
    detail = await upload_ready(client, owner, CSV)
    url = f"{API}/datasets/{detail['id']}"
    share_id = (
        await client.post(
            f"{url}/share",
            json={"email": (await register(client, "f")).email},
            headers=owner.headers,
        )
    ).json()["id"]
    h = stranger.headers
    for response in (
        await client.get(url, headers=h),
        await client.put(url, json={"name": "x"}, headers=h),
        await client.delete(url, headers=h),
        await client.get(f"{url}/sample", headers=h),
        await client.get(f"{url}/versions", headers=h),
        await client.post(f"{url}/share", json={"email": stranger.email}, headers=h),
        await client.get(f"{url}/shares", headers=h),
        await client.delete(f"{url}/share/{share_id}", headers=h),
        await client.get(f"{url}/download", headers=h),
        await client.get(f"{API}/datasets/{uuid.uuid4()}", headers=h),
    ):
        error = assert_error(response, 404, "not_found")
        assert error["message"] == "Dataset not found."
    items = (await client.get(f"{API}/datasets", params={"limit": 200}, headers=h)).json()["items"]
    assert detail["id"] not in {d["id"] for d in items}


async def test_team_upload_and_roles(client: AsyncClient) -> None:
    owner, member, viewer = (
        await register(client, "o"),
        await register(client, "m"),
        await register(client, "v"),
    )
    team = (await client.post(f"{API}/teams", json={"name": "Data"}, headers=owner.headers)).json()
    for who, role in ((member, "member"), (viewer, "viewer")):
        await client.post(
            f"{API}/teams/{team['id']}/members",
            json={"email": who.email, "role": role},
            headers=owner.headers,
        )
    assert_error(await upload_bytes(client, viewer, CSV, params={"team_id": team["id"]}), 403)
    detail = await upload_ready(client, member, CSV, data={"team_id": team["id"]})
    assert detail["team_id"] == team["id"]
    # Team members see it; the viewer reads, the team owner manages.
    assert (await client.get(f"{API}/datasets/{detail['id']}", headers=viewer.headers)).json()[
        "my_access"
    ] == "read"
    assert (await client.get(f"{API}/datasets/{detail['id']}", headers=owner.headers)).json()[
        "my_access"
    ] == "manage"
    team_list = (
        await client.get(f"{API}/datasets", params={"scope": "team"}, headers=viewer.headers)
    ).json()
    assert detail["id"] in {d["id"] for d in team_list["items"]}
    stranger_team = await register(client, "x")
    assert_error(
        await upload_bytes(client, stranger_team, CSV, params={"team_id": team["id"]}), 404
    )


async def test_download_formats_and_masking(client: AsyncClient) -> None:
    owner, viewer = await register(client, "o"), await register(client, "v")
    detail = await upload_ready(client, owner, CSV)
    url = f"{API}/datasets/{detail['id']}/download"
    await client.post(
        f"{API}/datasets/{detail['id']}/share", json={"email": viewer.email}, headers=owner.headers
    )
    csv_owner = await client.get(url, params={"format": "csv"}, headers=owner.headers)
    assert csv_owner.status_code == 200 and "ann.lee@example.com" in csv_owner.text
    assert "attachment" in csv_owner.headers["content-disposition"]
    csv_viewer = await client.get(url, params={"format": "csv"}, headers=viewer.headers)
    assert "ann.lee@example.com" not in csv_viewer.text and "apple" in csv_viewer.text
    parquet = await client.get(url, params={"format": "parquet"}, headers=owner.headers)
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == 4 and table.column("email").to_pylist()[0] == "ann.lee@example.com"
    xlsx = await client.get(url, params={"format": "xlsx"}, headers=owner.headers)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("id", "product", "email", "amount", "joined") and len(rows) == 5
    assert_error(await client.get(url, params={"version": 9}, headers=owner.headers), 404)


async def test_delete_removes_files(client: AsyncClient, app: FastAPI) -> None:
    owner = await register(client, "o")
    detail = await upload_ready(client, owner, CSV)
    store = app.state.runtime.store
    prefix = f"{detail['team_id']}/datasets/{detail['id']}/"
    keys = [info.key for info in store.list_prefix(prefix)]
    assert any(k.endswith("versions/v1/data.parquet") for k in keys) and any(
        "/original/" in k for k in keys
    )
    assert (
        await client.delete(f"{API}/datasets/{detail['id']}", headers=owner.headers)
    ).status_code == 204
    assert store.list_prefix(prefix) == []
    assert_error(await client.get(f"{API}/datasets/{detail['id']}", headers=owner.headers), 404)


async def test_bad_uploads(client: AsyncClient) -> None:
    owner = await register(client, "o")
    garbage = bytes(range(256)) * 64
    response = await upload_bytes(client, owner, garbage, "looks-like.csv")
    assert_error(response, 415, "unsupported_file_type")
    no_file = await client.post(
        f"{API}/datasets/upload",
        data={"name": "x"},
        files={"other": ("a", b"1")},
        headers=owner.headers,
    )
    assert_error(no_file, 400, "no_file")
    not_multipart = await client.post(
        f"{API}/datasets/upload", content=b"a,b\n1,2\n", headers=owner.headers
    )
    assert_error(not_multipart, 400)
    ragged = b"a,b,c,d,e\n" + b"1,2,3,4,5\n" * 3 + b"1,2,3,4,5,6,7\n"
    created = await upload_bytes(client, owner, ragged, "ragged.csv")
    assert created.status_code == 202
    failed = await wait_for(client, owner, created.json()["id"])
    assert failed["status"] == "failed"
    assert failed["error"].startswith("Line 5 has 7 fields, expected 5"), failed["error"]
    assert_error(
        await client.get(f"{API}/datasets/{failed['id']}/sample", headers=owner.headers), 409
    )

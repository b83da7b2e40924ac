"""The web UI in a real browser against a real server: accounts, upload, preview, sharing,
chat outputs (tables, Plotly charts, errors, edit and re-run, notebook export), teams, settings,
Chinese UI, and phone layout. Every screen is saved under test-artifacts/screenshots/."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.actions import CHART_TIMEOUT_MS, api_upload, ask, run_code
from tests.e2e.conftest import (
    DESKTOP,
    PASSWORD,
    PHONE,
    Server,
    new_context,
    sample_csv,
    screenshot,
    sign_in,
)

MASKED_EMAIL = re.compile(r"^c\*\*\*@e\*\*\*\.com$")


def test_register_sign_out_sign_in_and_expired_session(page: Page, server: Server) -> None:
    page.goto("/register")
    expect(page.get_by_test_id("register-card")).to_be_visible()
    screenshot(page, "01-register")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Name").fill("Ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/datasets")
    expect(page.get_by_role("heading", name="Datasets")).to_be_visible()
    expect(page.get_by_text("No datasets yet")).to_be_visible()
    screenshot(page, "02-datasets-empty")

    page.get_by_test_id("user-menu").click()
    page.get_by_text("Sign out").click()
    page.wait_for_url("**/login")
    screenshot(page, "03-login")
    sign_in(page, "ada@example.com")
    expect(page.get_by_test_id("user-menu")).to_contain_text("Ada")

    # Both tokens become invalid: the next call fails to refresh and says the session expired.
    page.evaluate(
        "localStorage.setItem('chatdata.tokens', JSON.stringify("
        "{access_token: 'expired.x.y', refresh_token: 'revoked'}))"
    )
    page.goto("/teams")
    page.wait_for_url("**/login")
    expect(page.get_by_test_id("session-expired")).to_contain_text("session has expired")
    screenshot(page, "03b-session-expired")


def test_upload_becomes_ready_then_schema_and_masked_preview(
    page: Page, server: Server, tmp_path: Path
) -> None:
    server.register("owner@example.com", "Olive Owner")
    sign_in(page, "owner@example.com")

    # A throttled upload shows real byte progress before the ingest takes over.
    big = sample_csv(tmp_path / "big_upload.csv", rows=12_000)
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 300_000},
    )
    page.locator("[data-testid=upload-dragger] input[type=file]").set_input_files(str(big))
    label = page.get_by_test_id("upload-item").get_by_test_id("upload-label")
    expect(label).to_have_text(re.compile(r"^Uploading ([1-9]|[1-9][0-9])%$"))
    screenshot(page, "04a-upload-progress")
    expect(page.get_by_test_id("upload-item")).to_have_attribute(
        "data-phase", "ready", timeout=60_000
    )
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.get_by_text("Dismiss").click()

    csv = sample_csv(tmp_path / "city_sales.csv")
    page.locator("[data-testid=upload-dragger] input[type=file]").set_input_files(str(csv))
    item = page.get_by_test_id("upload-item")
    expect(item).to_be_visible()
    expect(item).to_have_attribute("data-phase", "ready", timeout=60_000)
    expect(item.get_by_test_id("upload-label")).to_have_text("Ready")
    expect(page.get_by_test_id("dataset-table")).to_contain_text("city_sales")
    expect(page.get_by_test_id("dataset-table")).to_contain_text("243")
    screenshot(page, "04-upload-ready")

    item.get_by_test_id("upload-open").click()
    expect(page.get_by_test_id("dataset-name")).to_have_text("city_sales")
    schema = page.get_by_test_id("schema-table")
    expect(schema).to_contain_text("email")
    expect(schema.get_by_test_id("pii-badge").filter(has_text="email")).to_be_visible()
    expect(schema.get_by_test_id("mini-histogram").first).to_be_visible()
    screenshot(page, "05-dataset-schema")

    page.get_by_test_id("tab-preview").click()
    preview = page.get_by_test_id("preview-table")
    expect(page.get_by_test_id("masked-notice")).to_contain_text("email")
    expect(preview.locator("tbody tr.ant-table-row")).to_have_count(20)
    email_index = (
        preview.locator("thead th")
        .all_inner_texts()
        .index(
            next(t for t in preview.locator("thead th").all_inner_texts() if t.startswith("email"))
        )
    )
    emails = preview.locator(f"tbody tr.ant-table-row td:nth-child({email_index + 1})")
    for text in emails.all_inner_texts()[:5]:
        assert MASKED_EMAIL.match(text.strip()), text
    assert "customer0@example.com" not in page.content()
    screenshot(page, "06-dataset-preview")
    page.locator(".ant-pagination-item-2").click()
    expect(preview.locator("tbody tr.ant-table-row").first).to_contain_text("Customer 20")

    page.get_by_test_id("tab-versions").click()
    expect(page.get_by_test_id("versions-table")).to_contain_text("v1")
    screenshot(page, "07-dataset-versions")

    page.set_viewport_size(PHONE)
    page.get_by_test_id("tab-preview").click()
    expect(page.get_by_test_id("masked-notice")).to_be_visible()
    screenshot(page, "08-phone-dataset")
    page.goto("/datasets")
    expect(page.get_by_test_id("dataset-table")).to_contain_text("city_sales")
    screenshot(page, "09-phone-datasets")


def test_share_with_a_second_user_who_sees_it_and_a_third_who_does_not(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    for email, name in [
        ("sharer@example.com", "Sam Sharer"),
        ("viewer@example.com", "Val Viewer"),
        ("stranger@example.com", "Stan Stranger"),
    ]:
        server.register(email, name)
    dataset_id = api_upload(server, "sharer@example.com", sample_csv(tmp_path / "shared_q3.csv"))

    owner = new_context(browser, server).new_page()
    sign_in(owner, "sharer@example.com")
    owner.goto(f"/datasets/{dataset_id}")
    owner.get_by_test_id("open-share").click()
    owner.get_by_test_id("share-email").fill("viewer@example.com")
    owner.get_by_test_id("share-submit").click()
    expect(owner.get_by_test_id("share-list")).to_contain_text("viewer@example.com")
    screenshot(owner, "10-share-dialog")
    owner.context.close()

    viewer = new_context(browser, server).new_page()
    sign_in(viewer, "viewer@example.com")
    expect(viewer.get_by_test_id("dataset-table")).to_contain_text("shared_q3")
    viewer.get_by_test_id("dataset-scope").get_by_text("Shared with me").click()
    expect(viewer.get_by_test_id("dataset-table")).to_contain_text("shared_q3")
    screenshot(viewer, "11-viewer-sees-shared")
    viewer.get_by_test_id("dataset-link").filter(has_text="shared_q3").click()
    expect(viewer.get_by_test_id("schema-table")).to_be_visible()
    expect(viewer.get_by_test_id("open-share")).to_have_count(0)
    expect(viewer.get_by_test_id("delete-dataset")).to_have_count(0)
    viewer.context.close()

    stranger = new_context(browser, server).new_page()
    sign_in(stranger, "stranger@example.com")
    expect(stranger.get_by_text("No datasets yet")).to_be_visible()
    expect(stranger.get_by_test_id("dataset-table")).not_to_contain_text("shared_q3")
    stranger.goto(f"/datasets/{dataset_id}")
    expect(stranger.get_by_role("alert")).to_contain_text("not_found")
    screenshot(stranger, "12-stranger-sees-nothing")
    stranger.context.close()


def test_chat_with_the_analyst_proposals_code_cells_and_notebook_export(
    page: Page, server: Server, tmp_path: Path
) -> None:
    server.register("analyst@example.com", "Ana Analyst")
    dataset_id = api_upload(server, "analyst@example.com", sample_csv(tmp_path / "orders.csv"))
    sign_in(page, "analyst@example.com")
    page.goto(f"/datasets/{dataset_id}")
    page.get_by_test_id("open-chat").click()
    page.wait_for_url(f"**/datasets/{dataset_id}/chat")
    expect(page.get_by_test_id("suggestion").first).to_be_visible()

    answer = ask(page, "What is the average price by city?")
    page.wait_for_url(re.compile(rf".*/datasets/{dataset_id}/chat/[0-9a-f-]+$"))
    expect(page.get_by_test_id("user-message").first).to_have_text(
        "What is the average price by city?"
    )
    expect(answer.get_by_test_id("output-table").locator("tbody tr.ant-table-row")).to_have_count(4)
    expect(answer.get_by_test_id("plotly-chart").locator("svg.main-svg").first).to_be_attached(
        timeout=CHART_TIMEOUT_MS
    )
    expect(answer.get_by_test_id("assistant-text")).to_contain_text("Paris")
    expect(page.get_by_test_id("conversation-list")).to_contain_text("average price by city")
    screenshot(page, "13-chat-analyst-answer")

    cleaning = ask(page, "Remove duplicate rows")
    proposal = cleaning.get_by_test_id("proposal-card")
    expect(proposal).to_have_attribute("data-status", "pending")
    screenshot(page, "14-chat-proposal")
    proposal.get_by_test_id("proposal-accept").click()
    expect(proposal).to_have_attribute("data-status", "accepted")

    page.get_by_test_id("code-mode").click()
    chart_message = run_code(
        page,
        "import plotly.express as px\n"
        "px.bar(df.groupby('city', as_index=False)['price'].mean(), x='city', y='price')",
    )
    chart = chart_message.get_by_test_id("plotly-chart")
    expect(chart.locator("svg.main-svg").first).to_be_attached(timeout=CHART_TIMEOUT_MS)
    expect(chart.locator("g.point")).to_have_count(4)
    screenshot(page, "15-chat-chart")

    table_message = run_code(page, "df.groupby('city', as_index=False)['price'].mean().round(2)")
    table = table_message.get_by_test_id("output-table")
    expect(table.locator("tbody tr.ant-table-row")).to_have_count(4)
    expect(table).to_contain_text("Berlin")
    cells = table.locator("tbody tr.ant-table-row td:nth-child(2)")
    ascending = sorted(cells.all_inner_texts(), key=float)
    table.locator("thead th").filter(has_text="price").click()
    expect(cells).to_have_text(ascending)

    error_message = run_code(page, "print('checking'); 1/0")
    expect(error_message.get_by_test_id("output-error")).to_contain_text(
        "ZeroDivisionError: division by zero"
    )
    expect(error_message.get_by_test_id("code-cell")).to_have_attribute("data-status", "error")

    first_code = page.get_by_test_id("user-code-message").first
    first_code.get_by_test_id("edit-code").click()
    first_code.get_by_test_id("code-editor").fill("len(df)")
    first_code.get_by_test_id("rerun-code").click()
    rerun = page.get_by_test_id("user-code-message").nth(3)
    expect(rerun).to_contain_text("240", timeout=60_000)  # the accepted version has no duplicates
    screenshot(page, "16-chat-code-cells")

    with page.expect_download() as download_info:
        page.get_by_test_id("export-notebook").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ipynb")
    notebook = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert any("px.bar" in source for source in sources), sources
    assert any("len(df)" in source for source in sources), sources

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("plotly-chart").last.locator("svg.main-svg").first).to_be_attached(
        timeout=CHART_TIMEOUT_MS
    )
    screenshot(page, "17-phone-chat")

    page.set_viewport_size(DESKTOP)
    page.goto("/conversations")
    expect(page.get_by_role("row").filter(has_text="average price by city")).to_contain_text(
        "orders"
    )
    screenshot(page, "17b-conversations")
    page.goto(f"/datasets/{dataset_id}")
    page.get_by_test_id("tab-versions").click()
    versions = page.get_by_test_id("versions-table")
    expect(versions).to_contain_text("v2")
    expect(versions).to_contain_text("ai_proposal")
    expect(page.get_by_text("240", exact=True).first).to_be_visible()


def test_teams_settings_and_chinese_ui(browser: Browser, server: Server) -> None:
    server.register("lead@example.com", "Lee Lead")
    server.register("member@example.com", "Mo Member")
    page = new_context(browser, server).new_page()
    sign_in(page, "lead@example.com")
    page.goto("/teams")
    page.get_by_test_id("create-team").click()
    page.get_by_test_id("team-name").fill("Analysts")
    page.get_by_role("button", name="Create", exact=True).click()
    page.wait_for_url(re.compile(r".*/teams/[0-9a-f-]+$"))
    page.get_by_test_id("member-email").fill("member@example.com")
    page.get_by_test_id("add-member").click()
    members = page.get_by_test_id("members-table")
    expect(members.locator("tbody tr.ant-table-row")).to_have_count(2)
    expect(members).to_contain_text("member@example.com")
    screenshot(page, "18-team")

    page.goto("/settings")
    expect(page.get_by_test_id("llm-provider")).not_to_be_empty()
    screenshot(page, "19-settings")
    page.context.close()

    chinese = new_context(browser, server, locale="zh-CN").new_page()
    chinese.goto("/login")
    expect(chinese.get_by_role("button", name="登 录")).to_be_visible()
    screenshot(chinese, "20-login-zh")
    chinese.get_by_label("邮箱").fill("lead@example.com")
    chinese.get_by_label("密码").fill(PASSWORD)
    chinese.get_by_role("button", name="登 录").click()
    expect(chinese.get_by_role("heading", name="数据集")).to_be_visible()
    screenshot(chinese, "21-datasets-zh")
    chinese.get_by_text("EN", exact=True).click()
    expect(chinese.get_by_role("heading", name="Datasets")).to_be_visible()
    chinese.context.close()

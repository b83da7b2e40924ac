"""The tasks and reports screens in a real browser against a real server: a report made from a
chat (chosen messages), rendered with its chart, edited and exported (Markdown, PDF), deleted;
tasks started from the form, followed live, cancelled, failed and opened with their charts.
Every new screen is saved under test-artifacts/screenshots/ at desktop and phone widths."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.actions import api_upload, ask
from tests.e2e.conftest import DESKTOP, PHONE, Server, sample_csv, screenshot, sign_in

UUID = "[0-9a-f-]{36}"
CHART_MS = 30_000


def choose(page: Page, test_id: str, *options: str) -> None:
    """Pick `options` in the antd Select marked `test_id` (several in a multiple select)."""
    page.get_by_test_id(test_id).click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    for option in options:
        dropdown.locator(".ant-select-item-option").filter(has_text=option).first.click()


def expect_chart(scope: Locator) -> None:
    """A Plotly chart in `scope` has drawn its SVG (plotly.js loads on first use)."""
    chart = scope.get_by_test_id("plotly-chart").locator("svg.main-svg").first
    expect(chart).to_be_attached(timeout=CHART_MS)


def download(page: Page, menu_item: str) -> bytes:
    """Open the report's export menu, pick an item, and return the downloaded bytes."""
    page.get_by_test_id("export-report").click()
    with page.expect_download(timeout=90_000) as info:
        page.get_by_test_id(menu_item).click()
    return Path(info.value.path()).read_bytes()


def test_report_from_a_chat_edited_exported_and_deleted(
    page: Page, server: Server, tmp_path: Path
) -> None:
    server.register("reporter@example.com", "Rae Reporter")
    dataset_id = api_upload(server, "reporter@example.com", sample_csv(tmp_path / "sales.csv"))
    sign_in(page, "reporter@example.com")
    page.goto(f"/datasets/{dataset_id}/chat")
    ask(page, "What is the average price by city?")
    ask(page, "Which columns have missing values?")

    page.get_by_test_id("create-report").click()
    choices = page.get_by_test_id("report-choice")
    expect(choices).to_have_count(2)
    expect(choices.first).to_contain_text("average price by city")
    choices.nth(1).click()  # leave the second answer out
    page.get_by_test_id("report-title-input").fill("City prices")
    screenshot(page, "30-report-create-dialog")
    page.get_by_test_id("create-report-ok").click()
    page.wait_for_url(re.compile(rf".*/reports/{UUID}$"))

    view = page.get_by_test_id("report-view")
    expect(page.get_by_test_id("report-title")).to_have_text("City prices")
    expect_chart(view)
    expect(view.get_by_test_id("output-table").first).to_contain_text("Paris")
    expect(view).not_to_contain_text("missing values")
    screenshot(page, "31-report-view")

    page.get_by_test_id("toggle-edit").click()
    page.get_by_test_id("edit-title").click()
    page.get_by_test_id("title-input").fill("Q3 city prices")
    page.get_by_test_id("title-save").click()
    expect(page.get_by_test_id("report-title")).to_have_text("Q3 city prices")
    summary = page.locator("[data-testid=report-block][data-type=markdown]").first
    summary.get_by_test_id("block-edit").click()
    page.get_by_test_id("block-editor").fill("Edited summary: **Paris** leads on price.")
    screenshot(page, "32-report-editing")
    page.get_by_test_id("block-save").click()
    expect(summary).to_contain_text("Edited summary: Paris leads on price.")
    page.get_by_test_id("toggle-edit").click()
    page.reload()
    expect(page.get_by_test_id("report-title")).to_have_text("Q3 city prices")
    expect(view).to_contain_text("Edited summary")

    with zipfile.ZipFile(io.BytesIO(download(page, "export-md"))) as archive:
        markdown = archive.read("report.md").decode()
        assert any(name.startswith("figures/") for name in archive.namelist())
    assert markdown.startswith("# Q3 city prices"), markdown[:200]
    assert "Edited summary: **Paris** leads on price." in markdown
    assert download(page, "export-pdf").startswith(b"%PDF")

    page.set_viewport_size(PHONE)
    page.reload()
    expect_chart(view)
    screenshot(page, "33-phone-report")
    page.goto("/reports")
    expect(page.get_by_test_id("report-link")).to_have_text("Q3 city prices")
    screenshot(page, "34-phone-reports")
    page.set_viewport_size(DESKTOP)
    page.reload()
    expect(page.get_by_test_id("report-table")).to_contain_text("sales")
    screenshot(page, "35-reports")

    page.get_by_test_id("report-link").click()
    page.get_by_test_id("delete-report").click()
    page.locator("#confirm-delete-report").click()
    page.wait_for_url("**/reports")
    expect(page.get_by_text("No reports yet.")).to_be_visible()


def start_task(page: Page, task_type: str, fields: dict[str, str]) -> None:
    """On the new-task form: pick the type, fill fields, start, and wait for the task's page."""
    choose(page, "task-type", task_type)
    for name, value in fields.items():
        page.get_by_test_id(f"param-{name}").fill(value)
    page.get_by_test_id("start-task").click()
    page.wait_for_url(re.compile(rf".*/tasks/{UUID}$"))


def test_tasks_started_followed_cancelled_failed_and_their_results(
    page: Page, server: Server, tmp_path: Path
) -> None:
    server.register("tasker@example.com", "Tia Tasker")
    dataset_id = api_upload(server, "tasker@example.com", sample_csv(tmp_path / "orders_q3.csv"))
    sign_in(page, "tasker@example.com")

    # Descriptive statistics on two columns, from the dataset page, to its charts.
    page.goto(f"/datasets/{dataset_id}")
    page.get_by_test_id("run-task").click()
    page.wait_for_url(f"**/tasks/new?dataset={dataset_id}")
    expect(page.get_by_test_id("new-task-form")).to_contain_text("orders_q3")
    choose(page, "task-type", "Descriptive statistics")
    choose(page, "param-columns", "price", "quantity")
    page.keyboard.press("Escape")
    screenshot(page, "40-task-new")
    page.get_by_test_id("start-task").click()
    page.wait_for_url(re.compile(rf".*/tasks/{UUID}$"))
    expect(page.get_by_test_id("task-status")).to_have_attribute(
        "data-status", "succeeded", timeout=60_000
    )
    result = page.get_by_test_id("task-result")
    expect_chart(result)
    expect(result.get_by_test_id("output-table").first).to_contain_text("price")
    expect(page.get_by_test_id("task-progress")).to_have_attribute("data-progress", "100")
    screenshot(page, "41-task-result")
    page.set_viewport_size(PHONE)
    page.reload()
    expect_chart(result)
    screenshot(page, "42-phone-task-result")
    page.set_viewport_size(DESKTOP)

    # A slow task shows its progress live, on its page and in the list, and is cancelled there.
    page.goto(f"/tasks/new?dataset={dataset_id}")
    start_task(page, "Test sleep", {"seconds": "40", "steps": "40"})
    expect(page.get_by_test_id("task-progress-message")).to_contain_text(re.compile(r"step [2-9]"))
    screenshot(page, "43-task-running")
    page.goto("/tasks")
    running = page.get_by_role("row").filter(has=page.get_by_test_id("task-cancel"))
    expect(running.get_by_test_id("task-progress-message")).to_contain_text("of 40")
    screenshot(page, "44-tasks-list")
    running.get_by_test_id("task-cancel").click()
    expect(page.locator("[data-testid=task-status][data-status=cancelled]")).to_have_count(1)
    expect(page.get_by_test_id("task-cancel")).to_have_count(0)

    # A failing task says why.
    page.goto(f"/tasks/new?dataset={dataset_id}")
    start_task(page, "Test sleep", {"seconds": "0", "fail_with": "Column totals do not add up"})
    expect(page.get_by_test_id("task-error")).to_contain_text("Column totals do not add up")
    screenshot(page, "45-task-failed")
    page.get_by_role("button", name="Run again").click()
    expect(page.get_by_test_id("param-fail_with")).to_have_value("Column totals do not add up")
    expect(page.get_by_test_id("new-task-form")).to_contain_text("Test sleep")

    page.goto("/tasks")  # the upload's import is a task of its owner too
    expect(page.get_by_test_id("task-link")).to_have_count(4)
    expect(page.get_by_test_id("task-table")).to_contain_text("File import")
    choose(page, "task-status-filter", "Failed")
    expect(page.get_by_test_id("task-link")).to_have_count(1)
    page.set_viewport_size(PHONE)
    choose(page, "task-status-filter", "Any status")
    expect(page.get_by_test_id("task-link")).to_have_count(4)
    screenshot(page, "46-phone-tasks")

"""Without bubblewrap, kernels run as restricted subprocesses and say so loudly."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from chatdata.sandbox import DatasetMount, KernelManager, sandbox_status
from chatdata.sandbox.isolation import forget_isolation
from tests.sandbox.conftest import TEST_LIMITS, stdout

FALLBACK_PROBE = """
import asyncio, json, os, resource
sock = asyncio.base_events.socket.socket()
sock.settimeout(2)
try:
    sock.connect(("127.0.0.1", 5432))
    network = "connected"
except OSError as error:
    network = "blocked"
print(json.dumps({
    "rows": len(df), "is_sample": df_is_sample,
    "groups": con.sql("SELECT COUNT(DISTINCT region) FROM data").fetchall()[0][0],
    "leaked": sorted(k for k in os.environ if "SECRET" in k or k.startswith("CHATDATA")),
    "network": network,
    "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0],
    "cwd_is_scratch": os.getcwd() == os.environ["HOME"],
}))
"""


async def test_subprocess_fallback_runs_cells_and_warns(
    tmp_path: Path,
    sales: list[DatasetMount],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("CHATDATA_FALLBACK_SECRET", "must-not-leak")
    forget_isolation()
    caplog.set_level(logging.WARNING, logger="chatdata.sandbox")
    manager = KernelManager(
        runtime_dir=tmp_path / "runtime",
        limits=TEST_LIMITS,
        mode="subprocess",
        pool_size=0,
        idle_seconds=0.5,
    )
    try:
        await manager.start()
        status = manager.status()
        assert (status["mode"], status["isolated"], status["network_isolated"]) == (
            "subprocess",
            False,
            True,
        )
        assert status["warning"].startswith(
            "kernels are not isolated (sandbox_mode is 'subprocess', bubblewrap not used)"
        )
        assert sandbox_status("subprocess") == {
            key: status[key] for key in ("mode", "isolated", "network_isolated", "warning")
        }
        assert any("SANDBOX NOT ISOLATED" in record.message for record in caplog.records)
        result = await manager.execute("fallback", FALLBACK_PROBE, datasets=sales)
        assert result.status == "ok", result.outputs
        assert stdout(result) == (
            '{"rows": 6, "is_sample": false, "groups": 3, "leaked": [], "network": "blocked", '
            f'"nproc": {TEST_LIMITS.max_processes}, "cwd_is_scratch": true}}\n'
        )
        await asyncio.sleep(1.5)
        assert (manager.status()["culled"], manager.status()["kernels"]) == (1, 0)
    finally:
        await manager.shutdown()


def test_bwrap_status_reports_isolation() -> None:
    assert sandbox_status("bwrap") == {
        "mode": "bwrap",
        "isolated": True,
        "network_isolated": True,
        "warning": None,
    }

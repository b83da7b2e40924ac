"""Value types: limits from settings, dataset mount names, result serialisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatdata.config import Settings
from chatdata.sandbox import DatasetMount, ExecutionResult, SandboxLimits
from chatdata.sandbox.seccomp import seccomp_program


def test_limits_follow_the_sandbox_settings() -> None:
    settings = Settings(
        kernel_memory_mb=1500,
        kernel_cpu_seconds=90,
        kernel_max_processes=32,
        kernel_max_file_mb=64,
        kernel_scratch_mb=256,
        execution_timeout_seconds=12.5,
        output_cap_bytes=1000,
        sample_rows=5000,
    )
    limits = SandboxLimits.from_settings(settings)
    assert (limits.memory_mb, limits.cpu_seconds, limits.max_processes) == (1500, 90, 32)
    assert (limits.max_file_mb, limits.scratch_mb, limits.timeout_seconds) == (64, 256, 12.5)
    assert (limits.output_cap_bytes, limits.sample_rows) == (1000, 5000)


@pytest.mark.parametrize("name", ["sales", "_x", "orders_2024", "A" * 63])
def test_dataset_views_accept_identifiers(name: str) -> None:
    assert DatasetMount(name, Path("/x.parquet")).view_name == name


@pytest.mark.parametrize("name", ["", "2024", "a-b", "a b", "../etc", 'x"; DROP', "A" * 64])
def test_dataset_views_refuse_anything_else(name: str) -> None:
    with pytest.raises(ValueError, match="must be a Python/SQL identifier"):
        DatasetMount(name, Path("/x.parquet"))


def test_result_serialises_to_the_endpoint_shape() -> None:
    result = ExecutionResult("ok", [{"type": "text", "text": "2"}], 7)
    assert result.to_dict() == {
        "status": "ok",
        "outputs": [{"type": "text", "text": "2"}],
        "duration_ms": 7,
    }


def test_seccomp_program_is_whole_bpf_instructions() -> None:
    program = seccomp_program("x86_64")
    assert program is not None
    assert len(program) % 8 == 0
    assert len(program) // 8 == 4 + 1 + 25 + 2
    assert seccomp_program("sparc") is None

"""Every escape attempt fails, the host stays intact, and the conversation goes on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from chatdata.sandbox import ExecutionResult, KernelManager
from tests.security.conftest import VICTIM, datasets_of
from tests.security.escape_cases import CASES, EscapeCase, Outcome, Target

ATTACKER = "attacker"


def outcome_of(result: ExecutionResult) -> Outcome:
    """The runner-independent view of a result, with returned files read back."""
    files = {
        part["name"]: Path(part["path"]).read_bytes()[:1_000_000]
        for part in result.outputs
        if part["type"] == "file"
    }
    return Outcome(result.status, result.outputs, files)


def test_there_are_at_least_forty_cases_across_all_areas() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)
    areas = Counter(case.area for case in CASES)
    assert set(areas) == {
        "network",
        "host-files",
        "environment",
        "write-outside-work",
        "processes",
        "static-check-dodge",
        "resources",
    }


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
async def test_escape_attempt_fails(
    case: EscapeCase, sandbox: KernelManager, target: Target
) -> None:
    datasets = datasets_of(target)
    result = await sandbox.execute(
        ATTACKER, case.render(target), datasets=datasets, timeout=case.timeout
    )
    assert result.status != "rejected", "the case must reach the sandbox, not the static check"
    case.verify(outcome_of(result), target)
    follow_up = await sandbox.execute(ATTACKER, "print(6 * 7, len(df))", datasets=datasets)
    assert follow_up.status == "ok", follow_up.outputs
    assert outcome_of(follow_up).printed() == "42 2\n"


async def test_victim_conversation_is_untouched(sandbox: KernelManager, target: Target) -> None:
    result = await sandbox.execute(
        VICTIM, "print(secret == open('/work/victim.txt').read())", datasets=datasets_of(target)
    )
    assert outcome_of(result).printed() == "True\n"
    target.assert_host_intact()

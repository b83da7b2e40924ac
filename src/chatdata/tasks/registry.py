"""The task registry: which task types exist, their parameters and the function that runs them.

Each family module (`chatdata.tasks.families.*`) registers its types at import; the registry
imports them on first use. Test-only types (a deliberately slow task) are registered as well
when the environment variable `CHATDATA_TEST_TASK_TYPES` is `1`, in the server and workers.
"""

from __future__ import annotations

import importlib
import inspect
import os
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from chatdata.errors import ValidationFailed
from chatdata.jsonsafe import json_safe
from chatdata.tasks.context import TaskContext
from chatdata.tasks.environment import TaskEnvironment

TEST_TYPES_ENV = "CHATDATA_TEST_TASK_TYPES"
FAMILY_MODULES = (
    "chatdata.tasks.families.stats",
    "chatdata.tasks.families.regression",
    "chatdata.tasks.families.ml",
    "chatdata.tasks.families.clustering",
    "chatdata.tasks.families.timeseries",
    "chatdata.tasks.families.cleaning",
    "chatdata.tasks.families.ingest",
    "chatdata.tasks.families.reports",
)
TEST_MODULE = "chatdata.tasks.families.testing"


class TaskParams(BaseModel):
    """Base of every task type's parameters: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    def referenced_columns(self) -> list[str]:
        """Dataset columns these parameters name (checked against the schema on submit)."""
        return []

    def referenced_datasets(self) -> list[uuid.UUID]:
        """Other datasets the task reads (the caller needs read access to each)."""
        return []


TaskResult = dict[str, Any]
TaskFunction = Callable[[TaskContext, Any], TaskResult | Awaitable[TaskResult]]
AbandonHook = Callable[[TaskEnvironment, uuid.UUID | None, str], Awaitable[None]]


@dataclass(frozen=True)
class TaskType:
    """One kind of task: its name, description, parameters model and run function.

    `access` is the dataset access the caller needs (`read` to analyse, `edit` to create
    versions). `internal` types are run by the platform (ingest), never posted by users.
    `on_abandoned` runs when the task ends without its function finishing (cancelled while
    pending, failed by the reaper), e.g. to mark a dataset failed.
    """

    name: str
    description: str
    params: Any  # a TaskParams subclass, or an Annotated discriminated union of them
    run: TaskFunction
    access: str = "read"
    internal: bool = False
    needs_ready_dataset: bool = True
    max_attempts: int | None = None
    on_abandoned: AbandonHook | None = None

    @property
    def is_async(self) -> bool:
        """True when `run` is a coroutine function (it runs on the event loop)."""
        return inspect.iscoroutinefunction(self.run)

    @cached_property
    def _adapter(self) -> TypeAdapter[TaskParams]:
        return TypeAdapter(self.params)

    def parse(self, raw: Any) -> TaskParams:
        """Validate raw parameters; ValidationFailed (422) lists every problem."""
        try:
            return self._adapter.validate_python(raw if raw is not None else {})
        except ValidationError as error:
            problems = [_problem(p) for p in error.errors(include_url=False)]
            raise ValidationFailed(
                f"Invalid parameters for task type '{self.name}': {'; '.join(problems)}",
                details={"task_type": self.name, "errors": json_safe(problems)},
            ) from error

    def dump(self, params: TaskParams) -> dict[str, Any]:
        """The validated parameters as stored: JSON types, defaults filled in."""
        dumped: dict[str, Any] = self._adapter.dump_python(params, mode="json")
        return dumped

    def parameters_schema(self) -> dict[str, Any]:
        """The JSON schema of the parameters."""
        return self._adapter.json_schema()


def _problem(problem: Any) -> str:
    location = ".".join(str(part) for part in problem["loc"])
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"{location}: {message}" if location else message


_TYPES: dict[str, TaskType] = {}
_LOCK = threading.Lock()
_loaded: set[str] = set()


def register(task_type: TaskType) -> TaskType:
    """Add a task type (called by family modules at import)."""
    _TYPES[task_type.name] = task_type
    return task_type


def load_task_types() -> None:
    """Import every family module (idempotent); workers do it before claiming a task."""
    _ensure_loaded()


def task_types_loaded() -> bool:
    """Whether every family module is imported (the first task then starts at once)."""
    return all(name in _loaded for name in _family_modules())


def _family_modules() -> list[str]:
    modules = list(FAMILY_MODULES)
    if os.environ.get(TEST_TYPES_ENV) == "1":
        modules.append(TEST_MODULE)
    return modules


def _ensure_loaded() -> None:
    modules = _family_modules()
    if all(name in _loaded for name in modules):
        return
    with _LOCK:
        for name in modules:
            if name not in _loaded:
                importlib.import_module(name)
                _loaded.add(name)


def find_task_type(name: str) -> TaskType | None:
    """The registered task type called `name`, or None."""
    _ensure_loaded()
    return _TYPES.get(name)


def get_task_type(name: str) -> TaskType:
    """The task type a user may post; ValidationFailed naming the available ones otherwise."""
    found = find_task_type(name)
    if found is None or found.internal:
        available = [t.name for t in public_task_types()]
        raise ValidationFailed(
            f"Unknown task type '{name}'. Available: {', '.join(available)}.",
            details={"task_type": name, "available": available},
        )
    return found


def public_task_types() -> list[TaskType]:
    """Every task type users may post, by name."""
    _ensure_loaded()
    return sorted((t for t in _TYPES.values() if not t.internal), key=lambda t: t.name)

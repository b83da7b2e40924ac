"""Dataset lists: the page of datasets a user may see, filtered and sorted, with the total.

The list is the busiest read of the API, so its SQL is built once per shape (scope, sort,
which filters are set) with bound parameters and reused: building and cache-keying a
SQLAlchemy statement on every request cost more than running it. Only the columns a list
shows are read (not the profile in `metadata`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Integer, Select, Uuid, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth import policy
from chatdata.auth.models import TeamMember, User
from chatdata.datasets.models import Dataset, DatasetShare
from chatdata.datasets.schemas import DatasetOut
from chatdata.datasets.service import dataset_out
from chatdata.errors import BadRequest

Scope = Literal["all", "mine", "team", "shared", "public"]
SORTS = {
    "created_at": Dataset.created_at,
    "name": Dataset.name,
    "size": Dataset.file_size,
    "rows": Dataset.row_count,
    "updated_at": Dataset.updated_at,
}
LIST_COLUMNS = (
    Dataset.id,
    Dataset.name,
    Dataset.description,
    Dataset.tags,
    Dataset.file_type,
    Dataset.file_size,
    Dataset.owner_id,
    Dataset.team_id,
    Dataset.is_public,
    Dataset.status,
    Dataset.progress,
    Dataset.status_message,
    Dataset.error_message,
    Dataset.row_count,
    Dataset.column_count,
    Dataset.created_at,
    Dataset.updated_at,
)
LIKE_ESCAPE = "/"


@dataclass(frozen=True)
class ListFilter:
    """What a list request asks for, besides the page."""

    scope: Scope = "all"
    query: str | None = None
    file_type: str | None = None
    status: str | None = None
    sort: str = "-created_at"


async def list_datasets(
    session: AsyncSession, user: User, wanted: ListFilter, *, limit: int = 50, offset: int = 0
) -> tuple[list[DatasetOut], int]:
    """A page of the datasets the user may see, filtered and sorted, with the total.

    One query for the page and its total (a window count; a second one only for a page past
    the end), none for access when the user owns every dataset on the page."""
    if wanted.sort.lstrip("-") not in SORTS:
        raise BadRequest(f"Sort by one of {', '.join(SORTS)} (prefix - for descending).")
    shape = _Shape(
        wanted.scope, wanted.sort, bool(wanted.query), bool(wanted.file_type), bool(wanted.status)
    )
    params = _parameters(user, wanted)
    page = {**params, "limit": limit, "offset": offset}
    rows = (await session.execute(_page_statement(shape), page)).all()
    if rows:
        total = int(rows[0].total)
    elif offset:
        total = int(await session.scalar(_count_statement(shape), params) or 0)
    else:
        total = 0
    access = await policy.dataset_access_map(session, user, rows)
    return [dataset_out(row, access[row.id] or policy.READ) for row in rows], total


@dataclass(frozen=True)
class _Shape:
    scope: Scope
    sort: str
    by_name: bool
    by_type: bool
    by_status: bool


def _parameters(user: User, wanted: ListFilter) -> dict[str, Any]:
    params: dict[str, Any] = {"user_id": user.id, "personal_team_id": user.personal_team_id}
    if wanted.query:
        escaped = wanted.query.lower()
        for special in (LIKE_ESCAPE, "%", "_"):
            escaped = escaped.replace(special, LIKE_ESCAPE + special)
        params["name_pattern"] = f"%{escaped}%"
    if wanted.file_type:
        params["file_type"] = wanted.file_type
    if wanted.status:
        params["status"] = wanted.status
    return params


@functools.lru_cache(maxsize=512)
def _filtered(shape: _Shape) -> Select[Any]:
    """Every visible dataset of this shape, as bound-parameter SQL."""
    user_id = bindparam("user_id", type_=Uuid())
    team_ids = select(TeamMember.team_id).where(TeamMember.user_id == user_id)
    stmt = select(*LIST_COLUMNS).where(policy.visible_datasets_clause(user_id, team_ids))
    if shape.scope == "mine":
        stmt = stmt.where(Dataset.owner_id == user_id)
    elif shape.scope == "team":
        personal = bindparam("personal_team_id", type_=Uuid())
        # IS DISTINCT FROM: a user without a personal team (NULL) still sees every team's
        stmt = stmt.where(Dataset.team_id.in_(team_ids), Dataset.team_id.is_distinct_from(personal))
    elif shape.scope == "shared":
        shared = select(DatasetShare.dataset_id).where(
            (DatasetShare.user_id == user_id) | DatasetShare.team_id.in_(team_ids)
        )
        stmt = stmt.where(Dataset.id.in_(shared), Dataset.owner_id != user_id)
    elif shape.scope == "public":
        stmt = stmt.where(Dataset.is_public.is_(True))
    if shape.by_name:
        stmt = stmt.where(func.lower(Dataset.name).like(bindparam("name_pattern"), LIKE_ESCAPE))
    if shape.by_type:
        stmt = stmt.where(Dataset.file_type == bindparam("file_type"))
    if shape.by_status:
        stmt = stmt.where(Dataset.status == bindparam("status"))
    return stmt


@functools.lru_cache(maxsize=512)
def _page_statement(shape: _Shape) -> Select[Any]:
    column = SORTS[shape.sort.lstrip("-")]
    order = column.desc() if shape.sort.startswith("-") else column.asc()
    return (
        _filtered(shape)
        .add_columns(func.count().over().label("total"))
        .order_by(order, Dataset.id)
        .limit(bindparam("limit", type_=Integer()))
        .offset(bindparam("offset", type_=Integer()))
    )


@functools.lru_cache(maxsize=512)
def _count_statement(shape: _Shape) -> Select[Any]:
    return select(func.count()).select_from(_filtered(shape).subquery())

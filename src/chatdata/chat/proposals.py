"""Proposed dataset versions: made by the analyst, accepted or rejected by the user."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from chatdata.auth import policy
from chatdata.auth.models import User
from chatdata.chat.kernels import artifact_key
from chatdata.chat.models import Conversation, Proposal
from chatdata.chat.schemas import ProposalOut
from chatdata.datasets.ingest import ingest_to_parquet
from chatdata.datasets.versions import NewVersion, create_version, latest_version
from chatdata.db.base import utcnow
from chatdata.errors import BadRequest, Conflict, NotFound
from chatdata.storage.base import ObjectStore


async def create_proposal(
    session: AsyncSession,
    store: ObjectStore,
    conversation: Conversation,
    arguments: dict[str, Any],
    code: str | None,
) -> ProposalOut:
    """Record a proposal for a file a cell wrote under /work/out."""
    path = PurePosixPath(str(arguments.get("path", "")))
    if path.parent != PurePosixPath("/work/out") or not path.name:
        raise BadRequest("The proposed file must be written directly under /work/out/.")
    key = artifact_key(conversation, path.name)
    if not await anyio.to_thread.run_sync(store.exists, key):
        raise BadRequest(f"{path} does not exist; write it in a run_python cell first.")
    proposal = Proposal(
        conversation_id=conversation.id,
        dataset_id=conversation.dataset_id,
        title=str(arguments.get("title") or "Proposed changes")[:500],
        description=str(arguments.get("description") or "") or None,
        artifact_path=key,
        code=code,
    )
    session.add(proposal)
    await session.flush()
    return ProposalOut.model_validate(proposal)


async def decide_proposal(
    session: AsyncSession,
    store: ObjectStore,
    work_dir: Path,
    user: User,
    conversation_id: uuid.UUID,
    proposal_id: uuid.UUID,
    accept: bool,
) -> ProposalOut:
    """Accept (creates a dataset version; needs edit access) or reject a pending proposal."""
    conversation, _ = await policy.conversation_for(session, user, conversation_id)
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None or proposal.conversation_id != conversation.id:
        raise NotFound("Proposal not found.")
    if proposal.status != "pending":
        raise Conflict(f"The proposal was already {proposal.status}.")
    if accept:
        dataset, _ = await policy.dataset_for(session, user, proposal.dataset_id, policy.EDIT)
        version = await _version_from_artifact(session, store, work_dir, user, proposal, dataset)
        proposal.version_id = version.id
        conversation.dataset_version_id = version.id
    proposal.status = "accepted" if accept else "rejected"
    proposal.decided_at = utcnow()
    await session.flush()
    return ProposalOut.model_validate(proposal)


async def _version_from_artifact(
    session: AsyncSession,
    store: ObjectStore,
    work_dir: Path,
    user: User,
    proposal: Proposal,
    dataset: Any,
) -> Any:
    folder = work_dir / f"proposal-{proposal.id}"
    folder.mkdir(parents=True, exist_ok=True)
    parquet = work_dir / f"proposal-{proposal.id}.parquet"
    try:
        source = folder / PurePosixPath(proposal.artifact_path).name
        await anyio.to_thread.run_sync(store.download_to, proposal.artifact_path, source)
        await anyio.to_thread.run_sync(lambda: ingest_to_parquet(source, parquet, work_dir=folder))
        parent = await latest_version(session, dataset.id)
        return await create_version(
            session,
            store,
            dataset,
            NewVersion(
                parquet_path=parquet,
                operation="ai_proposal",
                lineage={
                    "proposal_id": str(proposal.id),
                    "conversation_id": str(proposal.conversation_id),
                    "title": proposal.title,
                    "description": proposal.description,
                    "code": proposal.code,
                },
                created_by=user.id,
                parent_id=parent.id if parent else None,
                idempotency_key=f"proposal:{proposal.id}",
            ),
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        parquet.unlink(missing_ok=True)

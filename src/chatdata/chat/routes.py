"""HTTP routes of conversations (seed 6.3): CRUD, chat (JSON or SSE), code, kernel,
proposals, artifacts; and `GET /llm`."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from chatdata.auth import policy
from chatdata.auth.schemas import Page
from chatdata.chat import cells, service
from chatdata.chat.live import sse_events
from chatdata.chat.proposals import decide_proposal
from chatdata.chat.schemas import (
    CellOut,
    ChatIn,
    ConversationDetailOut,
    ConversationIn,
    ConversationOut,
    ConversationPatch,
    ExecuteIn,
    ExecuteOut,
    LlmInfoOut,
    MessageOut,
    ProposalOut,
)
from chatdata.chat.turns import TurnInput
from chatdata.deps import CurrentUser, PageDep, RuntimeDep, SessionDep
from chatdata.error_docs import error_responses

router = APIRouter(
    prefix="/conversations",
    tags=["conversations"],
    responses=error_responses(401, 403, 404, 409, 413, 429),
)
llm_router = APIRouter(tags=["conversations"], responses=error_responses(401))

SSE_DOC = {
    "responses": {
        "200": {  # a string key: merged into the JSON response, not replacing it
            "description": "The stored assistant message (JSON), or with `Accept: "
            "text/event-stream` the events message, token, code, output, proposal, error, done.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    }
}


@router.post(
    "",
    response_model=ConversationOut,
    status_code=status.HTTP_201_CREATED,
    summary="Start a conversation",
)
async def create(body: ConversationIn, user: CurrentUser, session: SessionDep) -> ConversationOut:
    return await service.create_conversation(session, user, body)


@router.get("", response_model=Page[ConversationOut], summary="My conversations")
async def list_conversations(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    dataset_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Page[ConversationOut]:
    items, total = await service.list_conversations(
        session, user, dataset_id=dataset_id, limit=page.limit, offset=page.offset
    )
    return Page[ConversationOut](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{conversation_id}", response_model=ConversationDetailOut, summary="History")
async def get_conversation(
    conversation_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> ConversationDetailOut:
    return await service.get_conversation(session, user, conversation_id)


@router.patch("/{conversation_id}", response_model=ConversationOut, summary="Rename")
async def rename(
    conversation_id: uuid.UUID, body: ConversationPatch, user: CurrentUser, session: SessionDep
) -> ConversationOut:
    return await service.rename_conversation(session, user, conversation_id, body.title)


@router.delete(
    "/{conversation_id}", status_code=status.HTTP_204_NO_CONTENT, summary="End and delete"
)
async def delete(
    conversation_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> None:
    await service.delete_conversation(session, user, conversation_id)
    await runtime.chat.deps.kernels.forget(conversation_id)


@router.post(
    "/{conversation_id}/chat",
    response_model=MessageOut,
    summary="Send a message",
    description="Runs the analyst. With `Accept: text/event-stream` every step streams as "
    "Server-Sent Events; otherwise the stored assistant message is returned. `no_cache=true` "
    "bypasses the result cache. A client that disconnects does not lose the turn.",
    openapi_extra=SSE_DOC,
)
async def chat(
    conversation_id: uuid.UUID,
    body: ChatIn,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    no_cache: bool = False,
) -> Any:
    await policy.conversation_for(session, user, conversation_id)
    await runtime.chat_limiter.check(str(user.id), "Too many messages; wait a moment.")
    await runtime.chat_limiter.hit(str(user.id))
    task, queue = runtime.chat.start(
        TurnInput(conversation_id, body.message, body.code_execution, use_cache=not no_cache)
    )
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(
            sse_events(queue),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return await asyncio.shield(task)


@router.post(
    "/{conversation_id}/execute",
    response_model=ExecuteOut,
    summary="Run code in the conversation's kernel",
    description="Runs user-written or edited code; stored as a message so it is part of the "
    "history and of the replay that rebuilds a lost kernel.",
)
async def execute(
    conversation_id: uuid.UUID,
    body: ExecuteIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ExecuteOut:
    return await cells.execute_user_code(
        session, runtime.chat.deps, user, conversation_id, body.code
    )


@router.post(
    "/{conversation_id}/kernel/restart",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Restart the kernel",
)
async def restart(
    conversation_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> None:
    await cells.restart_kernel(session, runtime.chat.deps.kernels, user, conversation_id)


@router.post("/{conversation_id}/kernel/interrupt", summary="Interrupt the running cell")
async def interrupt(
    conversation_id: uuid.UUID, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> dict[str, bool]:
    done = await cells.interrupt_kernel(session, runtime.chat.deps.kernels, user, conversation_id)
    return {"interrupted": done}


@router.get(
    "/{conversation_id}/code",
    response_model=list[CellOut],
    summary="Every cell that ran",
    description="JSON by default; `format=py` or `format=ipynb` downloads a script or a "
    "notebook that reproduces the analysis.",
    responses={
        200: {
            "content": {
                "text/x-python": {"schema": {"type": "string"}},
                "application/x-ipynb+json": {"schema": {"type": "object"}},
            }
        }
    },
)
async def code(
    conversation_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    file_format: Annotated[Literal["json", "py", "ipynb"], Query(alias="format")] = "json",
) -> Any:
    if file_format == "json":
        return (await cells.list_cells(session, user, conversation_id))[1]
    content, filename = await cells.export_code(
        session, user, conversation_id, file_format, runtime.settings.sample_rows
    )
    media = "text/x-python" if file_format == "py" else "application/x-ipynb+json"
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/{conversation_id}/artifacts/{name}",
    summary="Download a file a cell wrote to /work/out",
    response_class=FileResponse,
)
async def artifact(
    conversation_id: uuid.UUID,
    name: str,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> FileResponse:
    path = await cells.artifact_file(
        session, runtime.chat.deps.kernels, runtime.work_dir, user, conversation_id, name
    )
    return FileResponse(
        path, filename=name, background=BackgroundTask(path.unlink, missing_ok=True)
    )


@router.post(
    "/{conversation_id}/proposals/{proposal_id}/accept",
    response_model=ProposalOut,
    summary="Accept a proposed dataset version",
    description="Creates the new version (needs edit access to the dataset); the conversation "
    "continues on it.",
)
async def accept(
    conversation_id: uuid.UUID,
    proposal_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ProposalOut:
    out = await decide_proposal(
        session, runtime.store, runtime.work_dir, user, conversation_id, proposal_id, True
    )
    await runtime.chat.deps.kernels.forget(conversation_id)
    return out


@router.post(
    "/{conversation_id}/proposals/{proposal_id}/reject",
    response_model=ProposalOut,
    summary="Reject a proposed dataset version",
)
async def reject(
    conversation_id: uuid.UUID,
    proposal_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ProposalOut:
    return await decide_proposal(
        session, runtime.store, runtime.work_dir, user, conversation_id, proposal_id, False
    )


@llm_router.get("/llm", response_model=LlmInfoOut, summary="The active AI provider")
async def llm_info(user: CurrentUser, runtime: RuntimeDep) -> LlmInfoOut:
    choice = runtime.llm_choice
    return LlmInfoOut(
        provider=runtime.chat.deps.provider.name,
        model=runtime.chat.deps.provider.model,
        preset=choice.preset,
        builtin=choice.builtin,
        base_url=choice.base_url,
    )

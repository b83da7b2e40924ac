"""The declared access policy that the isolation matrix checks every route against.

One table answers every cell: `ACCESS[kind][variant][actor]` is the access the actor has to
that object (absent: none), each probe says which access its route needs and what it answers
on success, and `expected_status` turns the two into a status:

- signed out (no token) or disabled account: 401;
- no access: 404 (the object does not exist for them; 403 only for the admin API, which
  holds no tenant's data);
- access below what the route needs: 403;
- otherwise the probe's success status.

The table is written from the product rules (README "Access", DESIGN section 6), never
computed from `chatdata.auth.policy`, so a change in the policy code that the table does not
share fails the matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

API = "/api/v1"
READ, EDIT, MANAGE = "read", "edit", "manage"
RANK = {READ: 1, EDIT: 2, MANAGE: 3}

# Who calls. "owner" created the objects (and is a plain member of the team "team");
# team_* hold that role in the team; sharees got explicit dataset shares; "disabled" was a
# team admin and an editor sharee before an administrator disabled the account.
SIGNED_IN = (
    "owner",
    "team_owner",
    "team_admin",
    "team_member",
    "team_viewer",
    "sharee_viewer",
    "sharee_editor",
    "stranger",
    "admin",
)
SIGNED_OUT = ("anonymous", "disabled")
ACTORS = SIGNED_IN + SIGNED_OUT
TEAM_ROLES = {
    "team_owner": "owner",
    "owner": "member",
    "team_admin": "admin",
    "team_member": "member",
    "team_viewer": "viewer",
    "disabled": "admin",
}
TEAM_READERS = {a: READ for a in ("team_owner", "team_admin", "team_member", "team_viewer")}


def everyone(level: str, **overrides: str) -> dict[str, str]:
    """Every signed-in actor at `level`, some at another."""
    return {actor: level for actor in SIGNED_IN} | overrides


ACCESS: dict[str, dict[str, dict[str, str]]] = {
    # Owner manages; team owner/admin manage, member edits, viewer reads; explicit shares
    # give viewer/editor (a share to a team gives every member that share's role, whatever
    # their team role); public datasets are readable by every signed-in user. Platform
    # admins get nothing extra.
    "dataset": {
        "private": {"owner": MANAGE},
        "shared": {"owner": MANAGE, "sharee_viewer": READ, "sharee_editor": EDIT} | TEAM_READERS,
        "team": {
            "owner": MANAGE,
            "team_owner": MANAGE,
            "team_admin": MANAGE,
            "team_member": EDIT,
            "team_viewer": READ,
        },
        "public": everyone(READ, owner=MANAGE),
    },
    # A conversation is its creator's alone, even in a team; the level is the creator's
    # access to its dataset (accepting a proposed version needs edit). "viewer" was started
    # by the viewer sharee on the shared dataset.
    "conversation": {
        "private": {"owner": MANAGE},
        "team": {"owner": MANAGE},
        "viewer": {"sharee_viewer": READ},
    },
    # A task is seen by its creator and the managers of its dataset's team (the owner's
    # personal workspace for "private"/"viewer": so the owner sees a sharee's task).
    "task": {
        "private": {"owner": READ},
        "team": {"owner": READ, "team_owner": READ, "team_admin": READ},
        "viewer": {"sharee_viewer": READ, "owner": READ},
    },
    # A report is read by its author, by members of its team who can read its dataset, and
    # by everyone when public; only the author changes it.
    "report": {
        "private": {"owner": MANAGE},
        "team": {"owner": MANAGE} | TEAM_READERS,
        "viewer": {"sharee_viewer": MANAGE, "owner": READ},
        "public": everyone(READ, owner=MANAGE),
    },
    # Members see a team; owners and admins manage it; owner/admin/member may add to it.
    "team": {
        "team": {
            "team_owner": MANAGE,
            "team_admin": MANAGE,
            "owner": EDIT,
            "team_member": EDIT,
            "team_viewer": READ,
        }
    },
    # The admin API: platform admins only.
    "user": {"user": {"admin": MANAGE}},
}
HIDDEN_STATUS = {"user": 403}

# Who created each object: the list endpoints show only one's own conversations, tasks
# and reports.
CREATORS: dict[str, dict[str, str]] = {
    "conversation": {"private": "owner", "team": "owner", "viewer": "sharee_viewer"},
    "task": {"private": "owner", "team": "owner", "viewer": "sharee_viewer"},
    "report": {
        "private": "owner",
        "team": "owner",
        "viewer": "sharee_viewer",
        "public": "owner",
    },
}

Ids = Mapping[str, Any]


@dataclass(frozen=True)
class Probe:
    """One request to a route, on every variant of `kind`, as every actor."""

    method: str
    route: str
    kind: str
    needs: str
    ok: int = 200
    label: str = ""
    query: Mapping[str, str] = field(default_factory=dict)
    body: Callable[[Ids], Any] | None = None
    upload: bool = False
    fresh: str | None = None  # destructive: allowed cells get a new object from this builder

    @property
    def name(self) -> str:
        """`METHOD /route (label)` as printed in failures."""
        suffix = f" ({self.label})" if self.label else ""
        return f"{self.method} {self.route}{suffix}"


def _dataset_probes() -> list[Probe]:
    ds = "/datasets/{dataset_id}"
    return [
        Probe("GET", ds, "dataset", READ),
        Probe("PUT", ds, "dataset", EDIT, body=lambda i: {"description": "matrix"}),
        Probe(
            "PUT", ds, "dataset", MANAGE, label="publish", body=lambda i: {"is_public": i["public"]}
        ),
        Probe("GET", ds + "/sample", "dataset", READ, query={"n": "5"}),
        Probe("GET", ds + "/sample", "dataset", MANAGE, label="unmask", query={"unmask": "true"}),
        Probe("GET", ds + "/versions", "dataset", READ),
        Probe(
            "POST",
            ds + "/share",
            "dataset",
            MANAGE,
            ok=201,
            body=lambda i: {"email": i["bystander_email"], "role": "viewer"},
        ),
        Probe("GET", ds + "/shares", "dataset", MANAGE),
        Probe("GET", ds + "/download", "dataset", READ, query={"format": "csv"}),
        Probe(
            "POST",
            "/conversations",
            "dataset",
            READ,
            ok=201,
            body=lambda i: {"dataset_id": i["dataset_id"]},
        ),
        Probe(
            "POST",
            "/conversations",
            "dataset",
            READ,
            ok=201,
            label="extra dataset",
            body=lambda i: {
                "dataset_id": i["public_dataset_id"],
                "extra_dataset_ids": [i["dataset_id"]],
            },
        ),
        Probe(
            "POST",
            "/tasks",
            "dataset",
            READ,
            ok=201,
            body=lambda i: {"task_type": "describe", "dataset_id": i["dataset_id"]},
        ),
        Probe(
            "POST",
            "/tasks",
            "dataset",
            EDIT,
            ok=201,
            label="cleaning",
            body=lambda i: {
                "task_type": "cleaning_pipeline",
                "dataset_id": i["dataset_id"],
                "parameters": {"steps": [{"op": "deduplicate"}]},
            },
        ),
        Probe("DELETE", ds + "/share/{share_id}", "dataset", MANAGE, ok=204, fresh="share"),
        Probe("DELETE", ds, "dataset", MANAGE, ok=204, fresh="dataset"),
    ]


def _conversation_probes() -> list[Probe]:
    conv = "/conversations/{conversation_id}"
    proposal = conv + "/proposals/{proposal_id}"
    return [
        Probe("GET", conv, "conversation", READ),
        Probe("PATCH", conv, "conversation", READ, body=lambda i: {"title": "matrix"}),
        Probe("POST", conv + "/execute", "conversation", READ, body=lambda i: {"code": "1 + 1"}),
        Probe("POST", conv + "/chat", "conversation", READ, body=lambda i: {"message": "rows?"}),
        Probe("GET", conv + "/code", "conversation", READ),
        Probe("GET", conv + "/artifacts/{name}", "conversation", READ),
        Probe("POST", conv + "/kernel/interrupt", "conversation", READ),
        Probe("POST", conv + "/kernel/restart", "conversation", READ, ok=204),
        Probe(
            "POST",
            "/reports/generate",
            "conversation",
            READ,
            ok=201,
            body=lambda i: {"conversation_id": i["conversation_id"]},
        ),
        Probe("POST", proposal + "/accept", "conversation", EDIT, fresh="proposal"),
        Probe("POST", proposal + "/reject", "conversation", READ, fresh="proposal"),
        Probe("DELETE", conv, "conversation", READ, ok=204, fresh="conversation"),
    ]


def _task_probes() -> list[Probe]:
    task = "/tasks/{task_id}"
    return [
        Probe("GET", task, "task", READ),
        Probe("GET", task + "/result", "task", READ),
        Probe("GET", task + "/events", "task", READ),
        # The task already succeeded: a caller who may cancel it gets 409 task_finished.
        Probe("POST", task + "/cancel", "task", READ, ok=409),
    ]


def _report_probes() -> list[Probe]:
    report = "/reports/{report_id}"
    return [
        Probe("GET", report, "report", READ),
        Probe("GET", report + "/export", "report", READ, query={"format": "md"}),
        Probe("PUT", report, "report", MANAGE, body=lambda i: {"title": "matrix"}),
        Probe("DELETE", report, "report", MANAGE, ok=204, fresh="report"),
    ]


def _team_probes() -> list[Probe]:
    team = "/teams/{team_id}"
    member = team + "/members/{member_id}"
    return [
        Probe("GET", team, "team", READ),
        Probe("PATCH", team, "team", MANAGE, body=lambda i: {"name": "Matrix team"}),
        Probe("PATCH", member, "team", MANAGE, body=lambda i: {"role": "member"}),
        Probe("POST", "/datasets/upload", "team", EDIT, ok=202, upload=True),
        Probe(
            "POST",
            team + "/members",
            "team",
            MANAGE,
            ok=201,
            body=lambda i: {"email": i["outsider_email"], "role": "viewer"},
            fresh="team",
        ),
        Probe("DELETE", member, "team", MANAGE, ok=204, fresh="team"),
        Probe("POST", team + "/leave", "team", READ, ok=204, fresh="team"),
    ]


def _admin_probes() -> list[Probe]:
    return [
        Probe("GET", "/admin/users", "user", MANAGE),
        Probe("GET", "/admin/audit", "user", MANAGE),
        Probe(
            "PATCH", "/admin/users/{user_id}", "user", MANAGE, body=lambda i: {"is_active": True}
        ),
    ]


PROBES: list[Probe] = (
    _dataset_probes()
    + _conversation_probes()
    + _task_probes()
    + _report_probes()
    + _team_probes()
    + _admin_probes()
)

# Routes that act on no tenant object, each with the reason. A route in neither PROBES,
# LISTS nor EXEMPT fails the coverage test.
EXEMPT: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): "the public API description",
    ("GET", "/docs"): "the public API reference page",
    ("GET", "/docs/oauth2-redirect"): "part of the API reference page",
    ("GET", "/redoc"): "the public API reference page",
    ("GET", "/{path:path}"): "the static web UI (no data)",
    ("GET", API + "/health"): "public health check (no tenant data)",
    ("GET", "/metrics"): "operational figures, no tenant data (token-protected by setting)",
    ("POST", API + "/auth/register"): "creates an account; no object of anyone else",
    ("POST", API + "/auth/login"): "credentials only",
    ("POST", API + "/auth/refresh"): "the refresh token is the credential",
    ("POST", API + "/auth/logout"): "the refresh token is the credential",
    ("GET", API + "/auth/me"): "the caller's own account",
    ("POST", API + "/teams"): "creates the caller's own team",
    ("GET", API + "/llm"): "which AI answers (no tenant data)",
    ("GET", API + "/tasks/types"): "the task registry (no tenant data)",
}


@dataclass(frozen=True)
class ListCheck:
    """A list endpoint: which base objects of `kind` each actor must see in it."""

    route: str
    kind: str
    rule: str  # "access": everyone with access; "creator": only the creator; "public"
    query: Mapping[str, str] = field(default_factory=dict)


LISTS = [
    ListCheck("/datasets", "dataset", "access", {"limit": "200"}),
    ListCheck("/datasets/public", "dataset", "public", {"limit": "200"}),
    ListCheck("/conversations", "conversation", "creator", {"limit": "200"}),
    ListCheck("/tasks", "task", "creator", {"limit": "200"}),
    ListCheck("/reports", "report", "creator", {"limit": "200"}),
    ListCheck("/teams", "team", "access"),
]


def variants(kind: str) -> list[str]:
    """The object variants of a kind."""
    return list(ACCESS[kind])


def access_of(kind: str, variant: str, actor: str) -> str | None:
    """The declared access of an actor to an object (None: none)."""
    return ACCESS[kind][variant].get(actor)


def expected_status(probe: Probe, actor: str, variant: str) -> int:
    """The one rule: 401 signed out, hidden status without access, 403 below need, else ok."""
    if actor in SIGNED_OUT:
        return 401
    level = access_of(probe.kind, variant, actor)
    if level is None:
        return HIDDEN_STATUS.get(probe.kind, 404)
    if RANK[level] < RANK[probe.needs]:
        return 403
    return probe.ok


def listed_variants(check: ListCheck, actor: str) -> set[str]:
    """The base objects an actor must find in a list endpoint."""
    if check.rule == "creator":
        return {v for v, creator in CREATORS[check.kind].items() if creator == actor}
    if check.rule == "public":
        return {"public"}
    return {v for v in variants(check.kind) if access_of(check.kind, v, actor) is not None}

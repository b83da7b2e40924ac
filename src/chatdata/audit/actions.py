"""Every action the audit log records (the `action` column), with what it means."""

from __future__ import annotations

from typing import Literal

Action = Literal[
    "auth.register",
    "auth.login",
    "auth.login_failed",
    "dataset.share",
    "dataset.unshare",
    "dataset.unmask",
    "dataset.delete",
    "conversation.delete",
    "report.delete",
    "team.member_add",
    "team.member_remove",
    "team.member_leave",
    "team.member_role",
    "user.disable",
    "user.enable",
    "user.role",
    "kernel.kill",
]

DESCRIPTIONS: dict[Action, str] = {
    "auth.register": "An account was created.",
    "auth.login": "A successful sign-in.",
    "auth.login_failed": "A refused sign-in (wrong password, unknown or disabled account).",
    "dataset.share": "A dataset was shared with a user or a team (or the share's role changed).",
    "dataset.unshare": "A dataset share was removed.",
    "dataset.unmask": "Rows of a dataset were read with PII unmasked.",
    "dataset.delete": "A dataset and its files were deleted.",
    "conversation.delete": "A conversation was deleted.",
    "report.delete": "A report was deleted.",
    "team.member_add": "A user was added to a team.",
    "team.member_remove": "A member was removed from a team.",
    "team.member_leave": "A member left a team.",
    "team.member_role": "A member's team role changed.",
    "user.disable": "An administrator disabled an account.",
    "user.enable": "An administrator enabled an account.",
    "user.role": "An administrator changed a user's platform role.",
    "kernel.kill": "A conversation's kernel was killed for a limit (time or memory).",
}

"""Write `deploy/settings-reference.md` from the `Settings` class: every setting with its
environment variable, type, default and description. Secrets never show a default.

    .venv/bin/python scripts/gen_settings_reference.py          # (re)write the file
    .venv/bin/python scripts/gen_settings_reference.py --check  # exit 1 when it is stale
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from chatdata.config import Settings

TARGET = Path(__file__).resolve().parent.parent / "deploy" / "settings-reference.md"
GIB, MIB = 1024**3, 1024**2
HEADER = """# Settings reference

Generated from `chatdata.config.Settings` by `scripts/gen_settings_reference.py`; do not edit
by hand (a test fails when this file and the class disagree). Every setting is read from its
environment variable, or from a `.env` file in the working directory; the environment wins.
Lists are JSON (`CHATDATA_CORS_ORIGINS='["https://data.example.com"]'`), booleans
`true`/`false`. Secrets show no default: leave them unset or set them from a secret store,
never in a file under version control.

| setting | environment variable | type | default | description |
|---|---|---|---|---|
"""


def env_var(name: str) -> str:
    """The environment variable of a setting."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    return f"{prefix}{name}".upper()


def is_secret(annotation: Any) -> bool:
    """True for `SecretStr` and `SecretStr | None`."""
    return annotation is SecretStr or SecretStr in typing.get_args(annotation)


def type_name(annotation: Any) -> str:
    """A reader's name for a field type: `int`, `str or unset`, `local | s3`, ..."""
    if is_secret(annotation):
        return "secret"
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        named = [type_name(a) for a in args if a is not type(None)]
        return " or ".join(named) + (" or unset" if type(None) in args else "")
    if origin is list:
        return f"JSON list of {type_name(args[0])}"
    if annotation is Path:
        return "path"
    return getattr(annotation, "__name__", str(annotation))


def default_text(field: FieldInfo) -> str:
    """The default as a reader wants it: secrets and None are `unset`, sizes in GiB/MiB."""
    if is_secret(field.annotation):
        return "unset"
    if field.default is PydanticUndefined and field.default_factory is not None:
        value: Any = field.default_factory()  # type: ignore[call-arg]  # no-argument factory
    else:
        value = field.default
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int) and value >= MIB and value % MIB == 0:
        size = f"{value // GIB} GiB" if value % GIB == 0 else f"{value // MIB} MiB"
        return f"`{value}` ({size})"
    if isinstance(value, list):
        return "`[]`" if not value else f"`{value}`"
    return f"`{value}`"


def row(name: str, field: FieldInfo) -> str:
    """One table row."""
    description = (field.description or "").replace("|", "\\|")
    cells = [f"`{name}`", f"`{env_var(name)}`", type_name(field.annotation)]
    return "| " + " | ".join([*cells, default_text(field), description]) + " |"


def render() -> str:
    """The whole reference, in the order the settings are declared."""
    rows = [row(name, field) for name, field in Settings.model_fields.items()]
    return HEADER + "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    """Write the reference, or with `--check` compare it; the exit status."""
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale: run scripts/gen_settings_reference.py", file=sys.stderr)
            return 1
        print(f"{TARGET} is current")
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

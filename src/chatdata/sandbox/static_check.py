"""A courtesy check of cell code before it runs: refuse clear misuse, explain the way.

The operating system is the wall (see `launcher`); this check only turns obvious
attempts (subprocess, sockets, ctypes, class-hierarchy walks, writes outside `/work`,
URLs given to readers) into an immediate, instructive message for the AI analyst
instead of a confusing failure inside the sandbox. It must never refuse ordinary
analysis code, so every rule matches names and literals only.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from functools import lru_cache

from chatdata.sandbox.errors import CodeRejected

NO_PROCESSES = (
    "the sandbox runs no external programs or shells; do the work in Python "
    "(pandas, polars, duckdb, numpy) instead"
)
NO_NETWORK = (
    "the sandbox has no network access; use the dataset already loaded as `df`, `lf` "
    "or the DuckDB view `data` (files are under /data/)"
)
NO_NATIVE = "native code (ctypes/cffi) is not available; use numpy or pandas instead"
NO_INTROSPECTION = (
    "walking interpreter internals is not allowed; import the module you need "
    "(pandas, numpy, polars, duckdb, scipy, sklearn, statsmodels) directly"
)
WRITE_ELSEWHERE = (
    "only /work is writable; save results under /work/out/ (they are returned to the "
    "user as files) or use a relative path; /data files are read-only"
)

MODULE_RULES: dict[str, str] = {
    "subprocess": NO_PROCESSES,
    "_posixsubprocess": NO_PROCESSES,
    "pty": NO_PROCESSES,
    "pexpect": NO_PROCESSES,
    "posix": NO_PROCESSES,
    "socket": NO_NETWORK,
    "_socket": NO_NETWORK,
    "ssl": NO_NETWORK,
    "socketserver": NO_NETWORK,
    "http.client": NO_NETWORK,
    "http.server": NO_NETWORK,
    "urllib.request": NO_NETWORK,
    "urllib3": NO_NETWORK,
    "requests": NO_NETWORK,
    "httpx": NO_NETWORK,
    "aiohttp": NO_NETWORK,
    "ftplib": NO_NETWORK,
    "smtplib": NO_NETWORK,
    "telnetlib": NO_NETWORK,
    "xmlrpc": NO_NETWORK,
    "paramiko": NO_NETWORK,
    "ctypes": NO_NATIVE,
    "_ctypes": NO_NATIVE,
    "cffi": NO_NATIVE,
}
OS_FUNCTIONS = frozenset(
    {"system", "popen", "fork", "forkpty", "kill", "killpg", "posix_spawn", "posix_spawnp"}
    | {"execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe"}
    | {"spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe"}
)
PROCESS_ATTRIBUTES = frozenset({"create_subprocess_exec", "create_subprocess_shell"})
DUNDER_NAMES = frozenset(
    {"__subclasses__", "__globals__", "__builtins__", "__import__", "__code__", "__loader__"}
)
IMPORT_CALLS = frozenset({"__import__", "import_module"})
SHELL_MAGICS = frozenset({"system", "getoutput", "sx", "bash", "sh", "script", "perl", "ruby"})
WRITER_METHODS = frozenset(
    {"to_csv", "to_parquet", "to_excel", "to_json", "to_feather", "to_pickle", "to_html"}
    | {"write_csv", "write_parquet", "write_json", "write_ndjson", "write_ipc", "write_excel"}
    | {"savefig", "write_image", "write_html", "write_text", "write_bytes", "touch", "mkdir"}
    | {"remove", "unlink", "rmdir", "removedirs", "rmtree", "makedirs"}
)
COPY_FUNCTIONS = frozenset(
    {"copy", "copy2", "copyfile", "copytree", "move", "rename", "replace", "symlink", "link"}
)
URL_PATTERN = re.compile(r"^\s*(https?|ftp|s3|s3a|gs|gcs|az|abfss?|hf)://", re.IGNORECASE)
SQL_NETWORK_PATTERN = re.compile(r"(https?|s3|gs|gcs|az|hf)://|\bhttpfs\b", re.IGNORECASE)
SQL_COPY_TARGET = re.compile(r"\bTO\s+'(/[^']*)'", re.IGNORECASE)
SQL_METHODS = frozenset({"sql", "execute", "query", "read_sql", "executemany"})
WRITABLE_ROOTS = ("/work", "/tmp")  # noqa: S108 - paths inside the sandbox
PATH_CLASSES = frozenset({"Path", "PurePath", "PosixPath"})


@dataclass(frozen=True)
class Finding:
    """One refused construct: where it is and what to do instead."""

    line: int
    message: str


def check_code(code: str) -> None:
    """Raise `CodeRejected` when `code` clearly tries to leave the sandbox.

    Code that does not parse is let through: the kernel reports the syntax error
    itself, with the user's line, which is the more useful message.
    """
    findings = find_misuse(code)
    if findings:
        lines = [f"line {finding.line}: {finding.message}" for finding in findings[:5]]
        raise CodeRejected(
            "This code was not run. " + "; ".join(lines) + ".",
            details={"findings": [{"line": f.line, "message": f.message} for f in findings]},
        )


def find_misuse(code: str) -> list[Finding]:
    """Every refused construct in `code` (IPython syntax understood), in line order."""
    tree = _parse(code)
    if tree is None:
        return []
    visitor = _MisuseVisitor()
    visitor.visit(tree)
    return sorted(set(visitor.findings), key=lambda finding: finding.line)


def _parse(code: str) -> ast.Module | None:
    """Parse cell code after IPython's own transforms (`!cmd`, `%magic`)."""
    try:
        return ast.parse(_ipython_to_python(code))
    except (SyntaxError, ValueError):
        return None


@lru_cache(maxsize=1)
def _transformer() -> object:
    """IPython's cell transformer, created once."""
    module = importlib.import_module("IPython.core.inputtransformer2")
    return module.TransformerManager()


def _ipython_to_python(code: str) -> str:
    """Rewrite IPython syntax into the plain Python the kernel would run."""
    manager = _transformer()
    transformed = manager.transform_cell(code)  # type: ignore[attr-defined]
    return str(transformed)


def _module_rule(name: str) -> str | None:
    """The refusal message for importing module `name`, if it is refused."""
    parts = name.split(".")
    for size in range(len(parts), 0, -1):
        message = MODULE_RULES.get(".".join(parts[:size]))
        if message is not None:
            return message
    return None


def _literal_str(node: ast.AST | None) -> str | None:
    """The value of a string constant (or the literal head of an f-string)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        head = node.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            return head.value
    return None


def _outside_writable(path: str) -> bool:
    """True for a literal absolute path that is not under a writable root."""
    if not path.startswith("/"):
        return False
    normalised = "/" + "/".join(part for part in path.split("/") if part not in ("", "."))
    if ".." in normalised.split("/"):
        return True
    return not any(
        normalised == root or normalised.startswith(root + "/") for root in WRITABLE_ROOTS
    )


def _call_name(func: ast.expr) -> str | None:
    """The final name of a called function (`f` or `x.f`)."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_ipython_method(func: ast.expr) -> bool:
    """True for `get_ipython().<method>`, the form IPython's `!cmd` is rewritten to."""
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Call):
        return False
    return _call_name(func.value.func) == "get_ipython"


def _mode_writes(call: ast.Call, position: int) -> bool:
    """True when an `open`-style call's mode literal asks for writing."""
    mode_node: ast.AST | None = None
    if len(call.args) > position:
        mode_node = call.args[position]
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode_node = keyword.value
    mode = _literal_str(mode_node)
    return mode is not None and any(flag in mode for flag in "wax+")


class _MisuseVisitor(ast.NodeVisitor):
    """Collects findings over one module's AST."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.os_aliases: set[str] = {"os", "posix"}
        self.path_literals: dict[str, str] = {}

    def _add(self, node: ast.AST, message: str) -> None:
        """Record a finding at the node's line."""
        self.findings.append(Finding(getattr(node, "lineno", 1), message))

    def visit_Import(self, node: ast.Import) -> None:
        """`import x`: refused modules; remember aliases of `os`."""
        for alias in node.names:
            rule = _module_rule(alias.name)
            if rule is not None:
                self._add(node, f"`import {alias.name}`: {rule}")
            if alias.name == "os" and alias.asname:
                self.os_aliases.add(alias.asname)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """`from x import y`: refused modules and `os` process functions."""
        module = node.module or ""
        rule = _module_rule(module)
        if rule is not None:
            self._add(node, f"`from {module} import ...`: {rule}")
        for alias in node.names:
            full_rule = _module_rule(f"{module}.{alias.name}")
            if rule is None and full_rule is not None:
                self._add(node, f"`{module}.{alias.name}`: {full_rule}")
            if module in ("os", "posix") and alias.name in OS_FUNCTIONS:
                self._add(node, f"`os.{alias.name}`: {NO_PROCESSES}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        """Bare names such as `__builtins__` and `__import__`."""
        if node.id in DUNDER_NAMES:
            self._add(node, f"`{node.id}`: {NO_INTROSPECTION}")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """Attributes: interpreter internals, subprocess helpers, `os.system` and kin."""
        if node.attr in DUNDER_NAMES:
            self._add(node, f"`.{node.attr}`: {NO_INTROSPECTION}")
        elif node.attr in PROCESS_ATTRIBUTES:
            self._add(node, f"`.{node.attr}`: {NO_PROCESSES}")
        elif (
            node.attr in OS_FUNCTIONS
            and isinstance(node.value, ast.Name)
            and node.value.id in self.os_aliases
        ):
            self._add(node, f"`os.{node.attr}`: {NO_PROCESSES}")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        """Remember names bound to path literals (`p = "/etc/x"`, `p = Path("/x")`)."""
        value = _literal_str(node.value)
        call = node.value
        if isinstance(call, ast.Call) and call.args and _call_name(call.func) in PATH_CLASSES:
            value = _literal_str(call.args[0])
        for target in node.targets:
            if isinstance(target, ast.Name) and value is not None:
                self.path_literals[target.id] = value
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        """Calls: dynamic imports, getattr tricks, eval/exec, network and writes."""
        name = _call_name(node.func)
        if name is not None:
            self._check_call(node, name)
        self.generic_visit(node)

    def _check_call(self, node: ast.Call, name: str) -> None:
        """Apply the call rules to a call of function `name`."""
        first = self._literal_or_bound(node.args[0]) if node.args else None
        if name in IMPORT_CALLS:
            self._check_dynamic_import(node, first)
        elif name == "getattr" and len(node.args) >= 2:
            self._check_getattr(node)
        elif name in ("eval", "exec", "compile") and first is not None:
            for finding in find_misuse(first):
                self._add(node, finding.message)
        elif name in ("run_line_magic", "run_cell_magic") and first in SHELL_MAGICS:
            self._add(node, f"`%{first}`: {NO_PROCESSES}")
        elif name in ("system", "getoutput") and _is_ipython_method(node.func):
            self._add(node, f"`{name}`: {NO_PROCESSES}")
        self._check_network_call(node, name, first)
        self._check_write_call(node, name, first)

    def _check_dynamic_import(self, node: ast.Call, module: str | None) -> None:
        """`__import__`/`import_module`: refused or non-literal module names."""
        if module is None:
            self._add(node, f"dynamic imports: {NO_INTROSPECTION}")
            return
        rule = _module_rule(module)
        if rule is not None:
            self._add(node, f"importing `{module}`: {rule}")

    def _check_getattr(self, node: ast.Call) -> None:
        """`getattr(x, "literal")` reaching a refused attribute."""
        attribute = _literal_str(node.args[1])
        if attribute in DUNDER_NAMES or attribute in PROCESS_ATTRIBUTES:
            self._add(node, f"`getattr(..., {attribute!r})`: {NO_INTROSPECTION}")
        elif attribute in OS_FUNCTIONS:
            self._add(node, f"`getattr(..., {attribute!r})`: {NO_PROCESSES}")

    def _check_network_call(self, node: ast.Call, name: str, first: str | None) -> None:
        """URLs given to readers, and SQL that reaches the network or writes elsewhere."""
        if name.startswith(("read_", "scan_")) or name in ("urlopen", "from_url", "load"):
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                text = _literal_str(argument)
                if text is not None and URL_PATTERN.match(text):
                    self._add(node, f"reading {text[:60]!r}: {NO_NETWORK}")
        if name in SQL_METHODS and first is not None:
            if SQL_NETWORK_PATTERN.search(first):
                self._add(node, f"SQL that reaches the network: {NO_NETWORK}")
            for target in SQL_COPY_TARGET.findall(first):
                if _outside_writable(target):
                    self._add(node, f"SQL writing {target!r}: {WRITE_ELSEWHERE}")

    def _check_write_call(self, node: ast.Call, name: str, first: str | None) -> None:
        """Writing calls whose literal target is outside the writable roots."""
        target = self._write_target(node, name, first)
        if target is not None and _outside_writable(target):
            self._add(node, f"writing {target!r}: {WRITE_ELSEWHERE}")

    def _write_target(self, node: ast.Call, name: str, first: str | None) -> str | None:
        """The literal path a call writes to, if it is a writing call."""
        if name == "open" and isinstance(node.func, ast.Name):
            return first if _mode_writes(node, 1) else None
        if name == "open" and isinstance(node.func, ast.Attribute):
            return self._receiver_path(node.func) if _mode_writes(node, 0) else None
        if name in WRITER_METHODS and isinstance(node.func, ast.Attribute):
            receiver = self._receiver_path(node.func)
            return receiver if receiver is not None else first
        if name in COPY_FUNCTIONS and len(node.args) >= 2:
            return self._literal_or_bound(node.args[1])
        return None

    def _literal_or_bound(self, node: ast.AST) -> str | None:
        """A string literal, or the literal a plain name was last bound to."""
        if isinstance(node, ast.Name):
            return self.path_literals.get(node.id)
        return _literal_str(node)

    def _receiver_path(self, func: ast.Attribute) -> str | None:
        """The literal path of `Path("/x").method` or of a name bound to a literal."""
        receiver = func.value
        if (
            isinstance(receiver, ast.Call)
            and receiver.args
            and _call_name(receiver.func) in PATH_CLASSES
        ):
            return _literal_str(receiver.args[0])
        if isinstance(receiver, ast.Name):
            return self.path_literals.get(receiver.id)
        return None

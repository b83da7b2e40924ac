#!/usr/bin/env bash
# Generate the web UI's API types (frontend/src/api/schema.d.ts) from the FastAPI OpenAPI schema.
# `--check` only compares and exits 1 when the committed file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
TARGET=frontend/src/api/schema.d.ts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PYTHON" - "$tmp/openapi.json" <<'PY'
import json
import sys

from chatdata.app import create_app
from chatdata.config import Settings

schema = create_app(Settings(migrate_on_start=False)).openapi()
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(schema, out, indent=1, sort_keys=True)
PY

[ -d frontend/node_modules ] || (cd frontend && npm install --no-save --no-audit --no-fund --loglevel=error)
(cd frontend && npx --no-install openapi-typescript "$tmp/openapi.json" -o "$tmp/schema.d.ts" >/dev/null)

if [ "${1:-}" = "--check" ]; then
  if ! cmp -s "$tmp/schema.d.ts" "$TARGET"; then
    echo "$TARGET is out of date with the API; run scripts/gen_api_types.sh" >&2
    diff -u "$TARGET" "$tmp/schema.d.ts" | head -40 >&2 || true
    exit 1
  fi
  echo "$TARGET is current"
else
  cp "$tmp/schema.d.ts" "$TARGET"
  echo "wrote $TARGET"
fi

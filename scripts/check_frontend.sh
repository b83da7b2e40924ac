#!/usr/bin/env bash
# The web UI's static checks and unit tests: eslint, tsc --noEmit, Vitest, and that the
# generated API types (frontend/src/api/schema.d.ts) match the server's OpenAPI schema.
set -euo pipefail
cd "$(dirname "$0")/.."

lock_hash=$(sha256sum frontend/package-lock.json | cut -c1-32)
if [ ! -f "frontend/node_modules/.installed-$lock_hash" ]; then
  (cd frontend && npm install --no-save --no-audit --no-fund --loglevel=error)
  rm -f frontend/node_modules/.installed-*
  touch "frontend/node_modules/.installed-$lock_hash"
fi
(
  cd frontend
  npm run --silent lint
  npm run --silent typecheck
  npm run --silent test
)
bash scripts/gen_api_types.sh --check

#!/usr/bin/env bash
# Build the web UI (frontend/) into src/chatdata/web/, idempotently:
#   - `npm install --no-save` when package-lock.json changed since the last install (the lock
#     decides the versions; `npm ci` is not used because it rejects a lock that lacks the
#     other-platform optional packages a filtered registry mirror does not serve);
#   - `vite build` only when the UI sources changed since the last build (hash stamp);
#   - gzip twins of the hashed assets, which the server sends to gzip-capable browsers.
# FORCE=1 rebuilds anyway. Needs Node 20.19+ and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

FRONTEND=frontend
OUT=src/chatdata/web
log() { printf '\033[1;34m[web]\033[0m %s\n' "$*"; }

command -v npm >/dev/null || { echo "npm is required to build the web UI" >&2; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "Node.js 20.19+ is required to build the web UI (found $(node --version))" >&2; exit 1; }

sources_hash() {
  (
    cd "$FRONTEND"
    find src public index.html package.json package-lock.json tsconfig.json vite.config.ts \
      -type f ! -name '*.test.ts' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  ) | sha256sum | cut -c1-32
}

lock_hash=$(sha256sum "$FRONTEND/package-lock.json" | cut -c1-32)
deps_stamp="$FRONTEND/node_modules/.installed-$lock_hash"
if [ ! -f "$deps_stamp" ]; then
  log "installing npm packages"
  (cd "$FRONTEND" && npm install --no-save --no-audit --no-fund --loglevel=error)
  rm -f "$FRONTEND"/node_modules/.installed-*
  touch "$deps_stamp"
fi

build_hash=$(sources_hash)
build_stamp="$OUT/.build-$build_hash"
if [ -f "$build_stamp" ] && [ -f "$OUT/index.html" ] && [ "${FORCE:-0}" != 1 ]; then
  log "web UI is up to date"
  exit 0
fi

log "building the web UI"
(cd "$FRONTEND" && npm run --silent build -- --logLevel warn)
find "$OUT/assets" -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' \) -size +1k \
  -exec gzip -9 -k -f {} +
touch "$build_stamp"
log "web UI built into $OUT"

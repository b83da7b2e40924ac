#!/usr/bin/env bash
# Set up everything the platform needs on a fresh Debian machine, idempotently:
# system packages (bubblewrap for the sandbox, Chromium and CJK fonts for browser tests and
# reports; PostgreSQL and Redis servers the fault tests start and stop privately; systemd for
# checking the deploy units), the Python virtualenv with the project installed, and the web UI.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(bubblewrap chromium fonts-noto-cjk poppler-utils postgresql redis-server systemd)
PYTHON=${PYTHON:-python3}
VENV=.venv

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

install_apt_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then return; fi
  log "installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_python() {
  "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' \
    || { echo "Python 3.11+ is required" >&2; exit 1; }
  [ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
  local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    log "installing Python packages"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e ".[dev]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}

install_apt_packages
install_python
bash scripts/build_frontend.sh
log "ready"

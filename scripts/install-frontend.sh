#!/usr/bin/env bash
# Installs the browser libraries of crates/web/frontend from its lockfile (`npm ci`),
# when they are missing or older than the lockfile. crates/web/build.rs builds them
# into the binary. Node.js and npm come from apt-get when the machine has none.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
frontend=crates/web/frontend

if ! command -v npm >/dev/null 2>&1; then
  echo "installing Node.js and npm (for the mail editor's packages)"
  sudo=()
  if ((EUID != 0)); then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq nodejs npm >/dev/null
fi

installed=$frontend/node_modules/.package-lock.json
if [[ -f $installed && $installed -nt $frontend/package-lock.json ]]; then
  exit 0
fi
echo "installing browser libraries (npm ci in $frontend)"
npm ci --prefix "$frontend" --no-audit --no-fund --loglevel=error

#!/usr/bin/env bash
# Installs the system packages the test suite needs, and only those missing:
# a PostgreSQL server (tests run against a throwaway cluster) and Chromium
# with its WebDriver (browser tests). Safe to run repeatedly.
set -euo pipefail

missing=()

# The server binaries live in a versioned directory, not on PATH.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)

if ((${#missing[@]} == 0)); then
  echo "test dependencies present"
  exit 0
fi

echo "installing test dependencies: ${missing[*]}"

# Root installs directly; anyone else needs sudo.
sudo=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "error: not root and sudo not available; install: ${missing[*]}" >&2
    exit 1
  fi
fi

# Another apt/dpkg may be running (e.g. an unattended install): wait for its
# lock instead of failing straight away.
apt_opts=(-o DPkg::Lock::Timeout=900 -o APT::Get::Assume-Yes=true)

"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" -qq update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" -qq \
  install "${missing[@]}" >/dev/null

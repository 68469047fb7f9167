#!/usr/bin/env bash
# Installs the system packages the test suite needs, and only those missing:
# a PostgreSQL server (tests run against a throwaway cluster), Chromium with
# its WebDriver (browser tests), Dovecot, Postfix and openssl (real mail
# servers, scripts/mailstack.sh), isync's mbsync (a benchmark), the Noto CJK fonts
# the quote PDFs are set in and poppler's pdftotext (the PDF tests read the text back).
# Safe to run repeatedly.
set -euo pipefail

missing=()

# The server binaries live in a versioned directory, not on PATH.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
[[ -x /usr/lib/dovecot/imap ]] || missing+=(dovecot-imapd)
[[ -x /usr/lib/dovecot/pop3 ]] || missing+=(dovecot-pop3d)
[[ -x /usr/lib/dovecot/lmtp ]] || missing+=(dovecot-lmtpd)
[[ -x /usr/sbin/postfix ]] || missing+=(postfix)
[[ -x /usr/bin/openssl ]] || missing+=(openssl)
[[ -x /usr/bin/mbsync ]] || missing+=(isync)
[[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]] || missing+=(fonts-noto-cjk)
[[ -x /usr/bin/pdftotext ]] || missing+=(poppler-utils)

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
# lock instead of failing straight away. Never remove a package: postfix
# conflicts with any other MTA (exim4, nullmailer, ...), and replacing the
# machine's MTA is the owner's call, so apt-get stops with an error instead.
# Noninteractive debconf: postfix's system-wide setup gets the default answer
# ("Internet Site"); the tests use their own config and never touch it.
apt_opts=(-o DPkg::Lock::Timeout=900 -o APT::Get::Assume-Yes=true --no-remove)

"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" -qq update

# Maintainer scripts may start the system-wide dovecot/postfix services (where
# no policy-rc.d forbids it); those daemons inherit apt-get's stdout/stderr and
# keep them open, so a caller reading them through a pipe (CI) would never see
# EOF. Send both to a file, shown only if the install fails.
apt_log=$(mktemp "${TMPDIR:-/tmp}/wharf-apt.XXXXXX")
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" -qq \
  install "${missing[@]}" >"$apt_log" 2>&1; then
  cat "$apt_log" >&2
  rm -f "$apt_log"
  echo "error: apt-get install failed: ${missing[*]}" >&2
  exit 1
fi
rm -f "$apt_log"

#!/usr/bin/env bash
# The dependency audit, run by scripts/test (and so by CI):
# - cargo-deny (deny.toml): licenses, bans and sources always run and fail the build;
#   RustSec advisories run against the advisory database when it can be fetched, or
#   when one is already on this machine ($CARGO_HOME/advisory-dbs), and fail the build
#   on a finding. When there is none, this says so plainly and goes on.
# - npm audit of crates/web/frontend's lockfile: fails on a high or critical advisory;
#   when the registry's audit service does not answer, this says so and goes on.
# cargo-deny is installed from crates.io when missing (a few minutes, once).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo_deny_version=0.20.2
if [[ $(cargo deny --version 2>/dev/null) != "cargo-deny $cargo_deny_version" ]]; then
  echo "installing cargo-deny $cargo_deny_version (once; this takes a few minutes)"
  cargo install --locked --quiet "cargo-deny@$cargo_deny_version"
fi

log=$(mktemp "${TMPDIR:-/tmp}/wharf-audit.XXXXXX")
trap 'rm -f "$log"' EXIT

echo "dependency audit: licenses, bans, sources (cargo-deny)"
# cargo-deny reads the metadata of every platform's dependencies offline, so fetch
# them first (the build itself downloads only this platform's).
cargo fetch --locked --quiet
# Duplicate versions are warnings: one line each; on a failure the whole report.
if ! cargo deny --offline --locked check --hide-inclusion-graph licenses bans sources >"$log" 2>&1; then
  cat "$log" >&2
  echo "error: the dependency audit failed (deny.toml: licenses, bans, sources)" >&2
  exit 1
fi
grep -E '^warning\[|^(advisories|bans|licenses|sources) ' "$log" || true

db_root=${CARGO_HOME:-$HOME/.cargo}/advisory-dbs
if timeout 120 cargo deny fetch db >"$log" 2>&1; then
  echo "dependency audit: RustSec advisories (database fetched now)"
  cargo deny --offline --locked check --hide-inclusion-graph advisories
elif compgen -G "$db_root/*/crates" >/dev/null; then
  echo "dependency audit: RustSec advisories, from the database already on this machine" \
    "(it could not be updated now, so advisories newer than it are not seen)"
  cargo deny --offline --locked check --hide-inclusion-graph advisories
else
  # The reason without addresses (they name outside hosts).
  reason=$({ grep -m1 '^fatal' "$log" || grep -m1 -i 'error' "$log" || true; } |
    sed -e 's/^.*\] //' -e "s#[a-z]*://[^ ')]*#(address)#g" -e "s#host: [^ ]*#host#g")
  echo "NOTE: RustSec advisories were NOT checked: the advisory database could not be" \
    "fetched${reason:+ ($reason)} and none is on this machine." \
    "Licenses, bans and sources were checked."
fi

frontend=crates/web/frontend
if [[ -f $frontend/package-lock.json ]] && command -v npm >/dev/null 2>&1; then
  report=$(mktemp "${TMPDIR:-/tmp}/wharf-npm-audit.XXXXXX")
  trap 'rm -f "$log" "$report"' EXIT
  # npm exits non-zero both for findings and for an unreachable service: read the JSON.
  timeout 120 npm audit --prefix "$frontend" --package-lock-only --json >"$report" 2>/dev/null || true
  verdict=$(node -e '
    let r; try { r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); } catch (e) { r = null; }
    const v = r && r.metadata && r.metadata.vulnerabilities;
    if (!v) { console.log("unreachable " + ((r && (r.message || (r.error && r.error.summary))) || "no answer")); }
    else { console.log(((v.high || 0) + (v.critical || 0) > 0 ? "found " : "clean ") + JSON.stringify(v)); }
  ' "$report")
  case $verdict in
  clean*) echo "dependency audit: npm audit of $frontend: no high or critical advisory (${verdict#clean })" ;;
  found*)
    echo "error: npm audit found high or critical advisories in $frontend: ${verdict#found }" >&2
    npm audit --prefix "$frontend" --package-lock-only --audit-level=high >&2 || true
    exit 1
    ;;
  *)
    why=$(sed -e "s#[a-z]*://[^ ')]*#(address)#g" <<<"${verdict#unreachable }")
    echo "NOTE: npm audit of $frontend was NOT run: the registry's audit service did not answer ($why)."
    ;;
  esac
fi

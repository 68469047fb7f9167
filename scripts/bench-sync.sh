#!/usr/bin/env bash
# First IMAP sync, Wharf against mbsync (Debian's isync), of the same mailbox on a
# throwaway loopback Dovecot (scripts/mailstack.sh; needs root or sudo).
#   scripts/bench-sync.sh [SOURCE]   SOURCE: a folder of message files
#                                   (default ../shared/testdata/spamassassin-public-corpus)
# Seeds the mailbox by copying the files into its Maildir, warms Dovecot's index with one
# unmeasured run, then times `wharf bench sync` and `mbsync` twice each, alternating.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=${1:-../shared/testdata/spamassassin-public-corpus}
[[ -d $src ]] || { echo "no such folder: $src" >&2; exit 1; }
command -v mbsync >/dev/null || { echo "mbsync missing: apt-get install isync" >&2; exit 1; }

cargo build --release -p wharf -q
wharf=$PWD/target/release/wharf

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wharf-bench-sync.XXXXXX")
chmod 755 "$tmp"
base=$((20000 + RANDOM % 20000))
export MAILSTACK_IMAP_PORT=$base MAILSTACK_IMAPS_PORT=$((base + 1)) MAILSTACK_POP3_PORT=$((base + 2)) \
  MAILSTACK_POP3S_PORT=$((base + 3)) MAILSTACK_LMTP_PORT=$((base + 4)) MAILSTACK_SMTP_PORT=$((base + 5)) \
  MAILSTACK_SUBMISSION_PORT=$((base + 6)) MAILSTACK_SMTPS_PORT=$((base + 7))
cleanup() { scripts/mailstack.sh stop "$tmp/stack" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
scripts/mailstack.sh start "$tmp/stack" >/dev/null

# Seed: every file of SOURCE (but licence notes) as a message of bench's INBOX.
box=$tmp/stack/mail/bench/Maildir
mkdir -p "$box"/{cur,new,tmp}
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$box/cur/$n.bench:2,S"
done < <(find "$src" -type f ! -iname 'LICENSE*' ! -iname 'COPYING*' ! -name '*.md' -print0 | sort -z)
chown -R "$(stat -c %u:%g "$tmp/stack/mail")" "$tmp/stack/mail/bench"
bytes=$(du -sb "$box/cur" | cut -f1)
echo "mailbox: $n messages, $((bytes / 1048576)) MB, Dovecot IMAP on 127.0.0.1:$MAILSTACK_IMAP_PORT"

cat >"$tmp/mbsyncrc" <<CFG
IMAPAccount bench
Host 127.0.0.1
Port $MAILSTACK_IMAP_PORT
User bench
Pass testpass
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account bench

MaildirStore local
Path $tmp/near/
Inbox $tmp/near/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
CFG

run_wharf() { WHARF_BENCH_PASSWORD=testpass "$wharf" bench sync --port "$MAILSTACK_IMAP_PORT" --user bench | tail -n 1; }
run_mbsync() {
  rm -rf "$tmp/near"
  mkdir -p "$tmp/near"
  local t0 t1
  t0=$(date +%s.%N)
  mbsync -q -c "$tmp/mbsyncrc" -a 2> >(grep -v 'sent in the clear' >&2)
  t1=$(date +%s.%N)
  local got
  got=$(find "$tmp/near/INBOX/cur" "$tmp/near/INBOX/new" -type f | wc -l)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); b=int(sys.argv[4]); print(f'mbsync: {n} messages, {n/s:.0f} msg/s, {b/1048576/s:.1f} MB/s ({s:.2f} s)')" "$t0" "$t1" "$got" "$bytes"
}

run_wharf >/dev/null # warm Dovecot's index and the page cache
for round in 1 2; do
  echo "round $round"
  run_wharf
  run_mbsync
done

#!/usr/bin/env bash
# Throwaway REAL mail servers on 127.0.0.1 for the integration tests (Debian 12).
#   Dovecot 2.3: IMAP(+STARTTLS)/IMAPS, POP3(+STLS)/POP3S, LMTP; Maildirs under DIR/mail
#   Postfix 3.7: SMTP (MX-like, no AUTH needed for local mail), submission (STARTTLS+AUTH
#                required), SMTPS (implicit TLS+AUTH) -> LMTP -> Dovecot. SMTP AUTH is
#                checked by Dovecot over its SASL socket.
#
# Usage: mailstack.sh start DIR   start (restart if running), then print what `env` prints
#        mailstack.sh stop DIR    stop both servers by their PID files (files stay in DIR)
#        mailstack.sh env DIR     if running, print the tests' `export WHARF_TEST_…=…` lines
# By hand (scripts/test does the same on free ports, and removes DIR afterwards):
#   sudo env MAILSTACK_MAIL_USER="$USER" scripts/mailstack.sh start /tmp/wharf-mail
#   eval "$(scripts/mailstack.sh env /tmp/wharf-mail)"; cargo test …
#   sudo scripts/mailstack.sh stop /tmp/wharf-mail && sudo rm -rf /tmp/wharf-mail
#
# Users: alice/alicepass, bob/bobpass and catchall/catchallpass (log in as "bob" or
# "bob@example.test"); those three need their own password. ANY other user name logs in
# with the password `testpass`, so each test can use a fresh mailbox of its own (e.g.
# "sync-3f2a"); its Maildir is DIR/mail/<user>/Maildir, created by Dovecot on first use
# (delivery, POP3 login, IMAP SELECT; an IMAP LOGIN alone does not). Postfix accepts every local part @MAILSTACK_DOMAIN; mail to any other domain
# is delivered to the catchall mailbox: nothing leaves the machine.
#
# Ports and domain come from these environment variables (defaults in brackets):
#   MAILSTACK_IMAP_PORT [10143]  MAILSTACK_IMAPS_PORT [10993]  MAILSTACK_POP3_PORT [10110]
#   MAILSTACK_POP3S_PORT [10995] MAILSTACK_LMTP_PORT [10024]   MAILSTACK_SMTP_PORT [10025]
#   MAILSTACK_SUBMISSION_PORT [10587] MAILSTACK_SMTPS_PORT [10465] MAILSTACK_DOMAIN [example.test]
#   MAILSTACK_MAIL_USER [vmail]: owner of the Maildirs, the uid Dovecot accesses mail as (not
#   root: Dovecot refuses). `vmail` is created as a system user if missing; scripts/test run
#   through sudo passes the calling user instead, so its tests can read and seed Maildirs.
# `start` records the values in DIR/test.env, so `env` and `stop` need only DIR.
#
# Needs root for start/stop (Postfix's master, creating `vmail`). DIR and its parents must
# be world-traversable (x bit), since Dovecot and Postfix workers run as their own users.
# The packages come from scripts/install-test-deps.sh. The system-wide dovecot/postfix
# services are neither used nor touched: own config, base/queue dirs and ports.
set -euo pipefail

: "${MAILSTACK_IMAP_PORT:=10143}" "${MAILSTACK_IMAPS_PORT:=10993}"
: "${MAILSTACK_POP3_PORT:=10110}" "${MAILSTACK_POP3S_PORT:=10995}"
: "${MAILSTACK_LMTP_PORT:=10024}" "${MAILSTACK_SMTP_PORT:=10025}"
: "${MAILSTACK_SUBMISSION_PORT:=10587}" "${MAILSTACK_SMTPS_PORT:=10465}"
: "${MAILSTACK_DOMAIN:=example.test}" "${MAILSTACK_MAIL_USER:=vmail}"
USERS="alice:alicepass bob:bobpass catchall:catchallpass"
ANY_USER_PASSWORD=testpass
PORTS="$MAILSTACK_IMAP_PORT $MAILSTACK_IMAPS_PORT $MAILSTACK_POP3_PORT $MAILSTACK_POP3S_PORT
  $MAILSTACK_LMTP_PORT $MAILSTACK_SMTP_PORT $MAILSTACK_SUBMISSION_PORT $MAILSTACK_SMTPS_PORT"

die() {
  echo "mailstack: $*" >&2
  exit 1
}
[ $# -eq 2 ] || die "usage: $0 start|stop|env DIR"
CMD=$1
if [ "$CMD" = start ]; then mkdir -p "$2"; fi
[ -d "$2" ] || die "no such directory: $2"
DIR=$(cd "$2" && pwd)
DOVECOT_PID=$DIR/dovecot/run/master.pid       # written by Dovecot's master process
POSTFIX_PID=$DIR/postfix/spool/pid/master.pid # written by Postfix's master process
ENV_FILE=$DIR/test.env                        # what `env` prints, written by `start`
MAIL_USER=$MAILSTACK_MAIL_USER

need_root() { [ "$(id -u)" = 0 ] || die "$CMD must run as root (Postfix master, vmail user)"; }

check_installed() {
  local f
  for f in /usr/sbin/dovecot /usr/lib/dovecot/imap /usr/lib/dovecot/pop3 /usr/lib/dovecot/lmtp \
    /usr/sbin/postfix /usr/bin/openssl; do
    [ -x "$f" ] || die "$f missing: run scripts/install-test-deps.sh"
  done
}

pid_of() { [ -s "$1" ] && tr -dc 0-9 <"$1"; } # Postfix pads its pid file with spaces
# A daemon's exited master stays a zombie until PID 1 reaps it (slow or never in
# containers). Read /proc directly: minimal images have no `ps`.
running() {
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) && st=${st##*) } && [ "${st:0:1}" != Z ]
}
alive() {
  local p
  p=$(pid_of "$1") && [ -n "$p" ] && running "$p"
}
stop_all() { # SIGTERM both masters (each ends its children), wait up to 10 s each, then SIGKILL
  local f pid pids=()
  for f in "$POSTFIX_PID" "$DOVECOT_PID"; do
    if pid=$(pid_of "$f") && [ -n "$pid" ] && running "$pid"; then
      kill "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
    rm -f "$f"
  done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 100); do
      running "$pid" || continue 2
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_configs() {
  mkdir -p "$DIR"/{tls,mail,dovecot,postfix/conf,postfix/spool,postfix/data}
  chmod 0755 "$DIR" "$DIR/dovecot" "$DIR/postfix"
  if [ "$MAIL_USER" = vmail ] && ! id vmail >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin vmail
  fi
  id "$MAIL_USER" >/dev/null 2>&1 || die "no such user: $MAIL_USER"
  local uid gid
  uid=$(id -u "$MAIL_USER")
  gid=$(id -g "$MAIL_USER")
  [ "$uid" != 0 ] || die "MAILSTACK_MAIL_USER must not be root (Dovecot refuses uid 0)"
  runuser -u "$MAIL_USER" -- test -x "$DIR/mail" ||
    die "$DIR is not reachable by other users: its parent directories need the x bit for all"
  # Self-signed cert for localhost/127.0.0.1 (clients: trust tls/cert.pem or skip verification)
  [ -s "$DIR/tls/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
    -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>/dev/null
  chmod 0600 "$DIR/tls/key.pem"
  chmod 0644 "$DIR/tls/cert.pem"
  chown "$uid:$gid" "$DIR/mail"
  chown postfix:postfix "$DIR/postfix/data"
  local u
  : >"$DIR/dovecot/users"
  for u in $USERS; do # Dovecot passwd-file "user:{PLAIN}password"
    echo "${u%%:*}:{PLAIN}${u#*:}" >>"$DIR/dovecot/users"
  done

  # Self-contained Dovecot config (does NOT include /etc/dovecot/conf.d)
  cat >"$DIR/dovecot/dovecot.conf" <<EOF
protocols = imap pop3 lmtp
listen = 127.0.0.1
base_dir = $DIR/dovecot/run
state_dir = $DIR/dovecot/state
log_path = $DIR/dovecot/dovecot.log
auth_verbose = yes
# what clients name themselves with (IMAP ID): the tests check that Wharf does
imap_id_log = *
# no 2 s penalty after a wrong password (tests check failures too)
auth_failure_delay = 0
ssl = yes
ssl_cert = <$DIR/tls/cert.pem
ssl_key = <$DIR/tls/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
# allow LOGIN / USER+PASS without TLS (loopback tests); TLS is still offered
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
# test data only: speed over durability; IDLE fallback poll (inotify normally wakes at once)
mail_fsync = never
mailbox_idle_check_interval = 1 secs
# 1. the named users with their own password (a mismatch goes on to the next passdb)
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $DIR/dovecot/users
}
# 2. ... and nothing else: a named user who got here gave a wrong password
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $DIR/dovecot/users
  deny = yes
}
# 3. any other user name, with the shared test password
passdb {
  driver = static
  args = password=$ANY_USER_PASSWORD
}
# every user exists (Postfix only lets in @MAILSTACK_DOMAIN); home created on first use
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$DIR/mail/%n allow_all_users=yes
}
# whatever uid MAILSTACK_MAIL_USER has (the default 500 would refuse system users)
first_valid_uid = 1
namespace inbox {
  inbox = yes
$(for b in Drafts Sent Trash Junk; do printf '  mailbox %s {\n    special_use = \\%s\n    auto = subscribe\n  }\n' $b $b; done)
}
service imap-login {
  inet_listener imap {
    port = $MAILSTACK_IMAP_PORT
  }
  inet_listener imaps {
    port = $MAILSTACK_IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $MAILSTACK_POP3_PORT
  }
  inet_listener pop3s {
    port = $MAILSTACK_POP3S_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $MAILSTACK_LMTP_PORT
  }
}
# no anvil auth penalty (2..15 s extra per failed login from the same IP)
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  # Postfix's SMTP AUTH asks Dovecot through this socket
  unix_listener auth-postfix {
    mode = 0666
  }
}
EOF

  # Postfix's built-in regexp tables (pcre would need the postfix-pcre package).
  local dom_re=${MAILSTACK_DOMAIN//./\\.}
  # Every local part of the test domain is a mailbox (Dovecot creates it on delivery)...
  printf '/@%s$/ OK\n' "$dom_re" >"$DIR/postfix/conf/vmailbox"
  # ...and recipients outside it are rewritten to the catchall mailbox
  printf '!/@%s$/ catchall@%s\n' "$dom_re" "$MAILSTACK_DOMAIN" >"$DIR/postfix/conf/catchall"
  # Config dir must not contain the spool ('postfix check' walks it and warns about every file)
  cat >"$DIR/postfix/conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $DIR/postfix/spool
data_directory = $DIR/postfix/data
# no syslog here: log to a file (its path must be under maillog_file_prefixes)
maillog_file_prefixes = $DIR
maillog_file = $DIR/postfix/postfix.log
myhostname = mail.$MAILSTACK_DOMAIN
mydomain = $MAILSTACK_DOMAIN
myorigin = \$mydomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
# no 1 s tarpit before each 4xx/5xx reply
smtpd_error_sleep_time = 0
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = $MAILSTACK_DOMAIN
virtual_mailbox_maps = regexp:$DIR/postfix/conf/vmailbox
virtual_alias_maps = regexp:$DIR/postfix/conf/catchall
# else every domain matches the negated regexp and counts as a virtual alias domain
virtual_alias_domains =
virtual_transport = lmtp:inet:127.0.0.1:$MAILSTACK_LMTP_PORT
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DIR/dovecot/run/auth-postfix
smtpd_sasl_auth_enable = yes
smtpd_tls_cert_file = $DIR/tls/cert.pem
smtpd_tls_key_file = $DIR/tls/key.pem
smtpd_tls_security_level = may
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtputf8_enable = yes
biff = no
EOF
  # Minimal master.cf without chroot (a chroot would need copies of /etc files in the spool)
  cat >"$DIR/postfix/conf/master.cf" <<EOF
127.0.0.1:$MAILSTACK_SMTP_PORT inet n - n - - smtpd
127.0.0.1:$MAILSTACK_SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$MAILSTACK_SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
EOF
  printf '%s\n' "pickup unix n - n 60 1 pickup" "cleanup unix n - n - 0 cleanup" \
    "qmgr unix n - n 300 1 qmgr" "tlsmgr unix - - n 1000? 1 tlsmgr" \
    "rewrite unix - - n - - trivial-rewrite" "bounce unix - - n - 0 bounce" \
    "defer unix - - n - 0 bounce" "trace unix - - n - 0 bounce" "verify unix - - n - 1 verify" \
    "flush unix n - n 1000? 0 flush" "proxymap unix - - n - - proxymap" \
    "smtp unix - - n - - smtp" "relay unix - - n - - smtp" "showq unix n - n - - showq" \
    "error unix - - n - - error" "retry unix - - n - - error" "discard unix - - n - - discard" \
    "lmtp unix - - n - - lmtp" "anvil unix - - n - 1 anvil" "scache unix - - n - 1 scache" \
    "postlog unix-dgram n - n - 1 postlogd" >>"$DIR/postfix/conf/master.cf"
  # Postfix commands poll (0.3 s steps, ~2 s) until main.cf is older than "now": backdate it
  touch -d '10 seconds ago' "$DIR"/postfix/conf/*

  # What the tests read (see scripts/test); `env` prints it
  {
    printf 'export WHARF_TEST_%s=%q\n' MAIL_HOST 127.0.0.1 \
      IMAP_PORT "$MAILSTACK_IMAP_PORT" IMAPS_PORT "$MAILSTACK_IMAPS_PORT" \
      POP3_PORT "$MAILSTACK_POP3_PORT" POP3S_PORT "$MAILSTACK_POP3S_PORT" \
      SMTP_PORT "$MAILSTACK_SMTP_PORT" SUBMISSION_PORT "$MAILSTACK_SUBMISSION_PORT" \
      SMTPS_PORT "$MAILSTACK_SMTPS_PORT" LMTP_PORT "$MAILSTACK_LMTP_PORT" \
      MAIL_CA "$DIR/tls/cert.pem" MAIL_DOMAIN "$MAILSTACK_DOMAIN" MAILDIR_ROOT "$DIR/mail"
  } >"$ENV_FILE"
  chmod 0644 "$ENV_FILE"
}

start() {
  need_root
  check_installed
  stop_all # restart if already running
  local p
  for p in $PORTS; do port_open "$p" && die "port $p already in use"; done
  write_configs
  # Detach stdio: Dovecot's master keeps stderr open, so a caller reading our output
  # through a pipe (e.g. Rust Command::output()) would otherwise wait forever
  dovecot -c "$DIR/dovecot/dovecot.conf" </dev/null >>"$DIR/dovecot/start.log" 2>&1 ||
    die "dovecot failed, see $DIR/dovecot/start.log and dovecot.log"
  postfix -c "$DIR/postfix/conf" start </dev/null >>"$DIR/postfix/start.log" 2>&1 ||
    die "postfix failed, see $DIR/postfix/start.log and postfix.log"
  for p in $PORTS; do # wait up to 15 s per port
    for _ in $(seq 150); do
      port_open "$p" && continue 2
      sleep 0.1
    done
    die "port $p did not open, see $DIR/dovecot/dovecot.log and $DIR/postfix/postfix.log"
  done
  print_env
}

# Checks the recorded ports rather than the PID files, which only root may read.
print_env() {
  local p
  [ -s "$ENV_FILE" ] || die "not started (DIR=$DIR)"
  while read -r p; do
    port_open "$p" || die "not running: nothing on port $p (DIR=$DIR)"
  done < <(sed -n 's/^export WHARF_TEST_[A-Z0-9]*_PORT=//p' "$ENV_FILE")
  cat "$ENV_FILE"
}

case $CMD in
start) start ;;
stop)
  need_root
  stop_all
  echo "mailstack: stopped ($DIR)"
  ;;
env) print_env ;;
*) die "unknown command $CMD" ;;
esac

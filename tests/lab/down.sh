#!/usr/bin/env bash
# Stop everything tests/lab/up.sh started, by pid file. Harmless when nothing runs.
# State (certs, password, logs) is kept; delete $STARTTLS_LAB_DIR to start over.
set -euo pipefail

STATE="$(realpath -m "${STARTTLS_LAB_DIR:-/tmp/starttlstools-lab}")"
QUIET=0
[[ ${1:-} == --quiet ]] && QUIET=1

log() { ((QUIET)) || printf '[lab] %s\n' "$*" >&2; }

# Kill the process in pid file $1 if it is still the program named $2
# (a stale pid file may point at an unrelated process by now), and wait for it.
stop_pidfile() {
  local pidfile=$1 comm=$2 pid i
  [[ -s $pidfile ]] || return 0
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n $pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm" ]] || return 0
  log "stopping $comm (pid $pid)"
  kill -TERM "$pid"
  for i in {1..50}; do
    kill -0 "$pid" 2>/dev/null || return 0
    # A zombie has exited; only its reaping (by this container's pid 1, which takes ~2 s) is left.
    [[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]] || return 0
    sleep 0.2
  done
  log "$comm (pid $pid) ignored SIGTERM for 10 s; killing"
  kill -KILL "$pid" 2>/dev/null || true
}

stop_postfix() {
  local etc="$STATE/postfix/etc"
  [[ -f $etc/main.cf ]] || return 0
  # "postfix stop" also waits for the master and its children to go away.
  if postfix -c "$etc" status >/dev/null 2>&1; then
    log "stopping postfix"
    postfix -c "$etc" stop >/dev/null 2>&1
  fi
  # Belt and braces if the config was broken but a master survived.
  stop_pidfile "$STATE/postfix/queue/pid/master.pid" master
}

stop_legacy_smtp() {
  local etc="$STATE/legacy-postfix/etc"
  [[ -f $etc/main.cf ]] || return 0
  if postfix -c "$etc" status >/dev/null 2>&1; then
    log "stopping legacy postfix"
    postfix -c "$etc" stop >/dev/null 2>&1
  fi
  stop_pidfile "$STATE/legacy-postfix/queue/pid/master.pid" master
}

stop_dovecot() {
  stop_pidfile "$STATE/dovecot/run/master.pid" dovecot
}

stop_slapd() {
  stop_pidfile "$STATE/slapd/run/slapd.pid" slapd
  stop_pidfile "$STATE/slapd-plain/run/slapd.pid" slapd
}

stop_postgresql() {
  local pidfile="$STATE/postgresql/data/postmaster.pid" pid
  [[ -s $pidfile ]] || return 0
  # postmaster.pid holds more than the pid: its first line is the pid.
  pid="$(head -n 1 "$pidfile" | tr -dc '0-9')"
  printf '%s\n' "$pid" >"$STATE/postgresql/postmaster.pid.first"
  stop_pidfile "$STATE/postgresql/postmaster.pid.first" postgres
}

stop_mariadb() {
  stop_pidfile "$STATE/mariadb/run/mariadb.pid" mariadbd
}

stop_slapd_required() {
  stop_pidfile "$STATE/slapd-required/run/slapd.pid" slapd
}

stop_vsftpd_required() {
  stop_pidfile "$STATE/vsftpd-required/vsftpd.pid" vsftpd
}

stop_mariadb
stop_postgresql
stop_slapd
stop_slapd_required
stop_vsftpd_required
stop_inn() {
  local f
  for f in "$STATE"/inn/nnrpd-*.pid; do stop_pidfile "$f" nnrpd; done
}

stop_vsftpd() {
  stop_pidfile "$STATE/vsftpd/explicit.pid" vsftpd
  stop_pidfile "$STATE/vsftpd/implicit.pid" vsftpd
}

# Prosody is a Lua script: its process is named after the interpreter (lua5.4).
stop_prosody() {
  stop_pidfile "$STATE/prosody/prosody.pid" lua5.4
}

# The mail-domain lab (tests/lab/mail-domain.sh): nginx, unbound, NSD and the MX Postfix.
stop_mail_domain_lab() {
  stop_pidfile "$STATE/nginx/nginx.pid" nginx
  stop_pidfile "$STATE/unbound/unbound.pid" unbound
  # NSD names its processes "nsd: main", "nsd: xfrd", ...; the pid file holds xfrd's, which stops the rest.
  local pid=""
  [[ -f $STATE/dns/nsd.pid ]] && pid="$(tr -dc '0-9' <"$STATE/dns/nsd.pid")"
  if [[ -n $pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == nsd* ]]; then
    printf '%s\n' "$pid" >"$STATE/dns/nsd.pid.checked"
    stop_pidfile "$STATE/dns/nsd.pid.checked" "$(cat "/proc/$pid/comm")"
  fi
  local etc="$STATE/mx-postfix/etc"
  [[ -f $etc/main.cf ]] || return 0
  if postfix -c "$etc" status >/dev/null 2>&1; then
    log "stopping mx postfix"
    postfix -c "$etc" stop >/dev/null 2>&1
  fi
  stop_pidfile "$STATE/mx-postfix/queue/pid/master.pid" master
}

stop_mail_domain_lab
stop_prosody
stop_vsftpd
stop_inn
# Reverse start order: Postfix uses Dovecot's auth socket.
stop_legacy_smtp
stop_postfix
stop_dovecot
log "lab stopped"

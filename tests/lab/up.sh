#!/usr/bin/env bash
# Start the integration-test lab: real Postfix and Dovecot, 127.0.0.1 only,
# unprivileged ports, throwaway CA. Safe to run again: it restarts everything.
#
# Everything generated lives in $STARTTLS_LAB_DIR (default /tmp/starttlstools-lab);
# the tests read $STARTTLS_LAB_DIR/lab.env. A second lab beside the first needs its
# own STARTTLS_LAB_DIR and STARTTLS_LAB_PORT_OFFSET (e.g. 10000). Stop with tests/lab/down.sh.
#
# Adding a server: write start_<name>() (config + start), add stop_<name>() to
# down.sh, add its ports to LAB_PORTS / write_env, and call it from main().
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$(realpath -m "${STARTTLS_LAB_DIR:-/tmp/starttlstools-lab}")"
LAB_USER=labuser
LAB_HOSTNAME=mail.lab.test
# Dovecot also listens here; see start_dovecot for why.
REMOTE_VIEW_ADDRESS=127.0.0.2

# Fixed ports; the C# tests get them from lab.env.
declare -A LAB_PORTS=(
  [SMTP]=10025        # Postfix, STARTTLS offered, no AUTH
  [SMTP_PLAIN]=10026  # Postfix, no TLS at all
  [SUBMISSION]=10587  # Postfix, STARTTLS required, AUTH only after TLS
  [SMTPS]=10465       # Postfix, implicit TLS, AUTH
  [SUBMISSION_PLAIN]=10027  # Postfix, no TLS at all but AUTH offered in plaintext (refusal tests)
  [IMAP]=10143        # Dovecot, STARTTLS; LOGINDISABLED before TLS on the remote-view address
  [IMAPS]=10993       # Dovecot, implicit TLS
  [POP3]=10110        # Dovecot, STLS
  [POP3S]=10995       # Dovecot, implicit TLS
  [LDAP]=10389        # slapd, StartTLS extended operation
  [LDAPS]=10636       # slapd, implicit TLS
  [LDAP_PLAIN]=10390  # a second slapd with no TLS configured at all
  [POSTGRESQL]=10432  # PostgreSQL, ssl = on
  [MYSQL]=10306       # MariaDB, ssl_cert/ssl_key set
  [LMTP]=10024        # Dovecot LMTP over TCP, STARTTLS
  [SIEVE]=10190       # Dovecot ManageSieve, STARTTLS
  [FTP]=10021         # vsftpd, AUTH TLS
  [FTPS]=10990        # vsftpd, implicit TLS (second instance)
  [XMPP]=10222        # Prosody c2s, STARTTLS
  [XMPP_S2S]=10269    # Prosody s2s, STARTTLS
  [XMPPS]=10223       # Prosody c2s direct TLS (XEP-0368)
  [NNTP]=10119        # INN nnrpd, STARTTLS
  [NNTPS]=10563       # INN nnrpd -S, implicit TLS
  [LEGACY_SMTP]=10125  # second Postfix: TLS 1.0-1.3, every cipher OpenSSL has at @SECLEVEL=0, STARTTLS
  [LEGACY_SMTPS]=10466 # the same, implicit TLS (wrappermode), server cipher order
  [LDAP_REQUIRED]=10391 # third slapd: StartTLS, and "security ssf=128" (nothing answered before TLS)
  [FTP_REQUIRED]=10022  # third vsftpd: AUTH TLS, force_local_logins_ssl and force_anon_logins_ssl
  [DNS_AUTHORITY]=10053 # NSD, authoritative for the DNSSEC-signed lab.test and its insecure/bogus children
  [DNS_RESOLVER]=10054  # unbound, validating, trust anchor lab.test, stub to NSD only (the -DnsServer of the tests)
)
# Parallel labs (one per work tree) shift every port by the same offset.
PORT_OFFSET="${STARTTLS_LAB_PORT_OFFSET:-0}"
[[ $PORT_OFFSET =~ ^[0-9]+$ ]] || { echo "STARTTLS_LAB_PORT_OFFSET must be a number" >&2; exit 1; }
for _name in "${!LAB_PORTS[@]}"; do LAB_PORTS[$_name]=$((LAB_PORTS[$_name] + PORT_OFFSET)); done
# The mail-domain lab needs the real ports 25 (SMTP to an MX) and 443 (MTA-STS), so it gets its own loopback
# addresses instead: 127.N.0.x with N = 100 + (offset / 1000) % 150, i.e. 127.100.0.x for offset 0, 127.110.0.x
# for 10000, 127.130.0.x for 30000. Parallel labs never share an address; every 127/8 address is loopback.
DOMAIN_NET="127.$((100 + (PORT_OFFSET / 1000) % 150)).0"
MX1_ADDRESS="$DOMAIN_NET.10"        # mx Postfix :25
MX2_ADDRESS="$DOMAIN_NET.11"        # mx Postfix :25
MTA_STS_ADDRESS="$DOMAIN_NET.20"    # nginx :443, the mta-sts.<domain> policy hosts
UNREACHABLE_ADDRESS="$DOMAIN_NET.21" # nothing listens: the unreachable policy host
LAB_ZONE=lab.test

PACKAGES=(postfix dovecot-core dovecot-imapd dovecot-pop3d openssl swaks
          libnet-ssleay-perl libio-socket-ssl-perl  # swaks needs these for --tls
          slapd ldap-utils postgresql mariadb-server
          dovecot-lmtpd dovecot-managesieved vsftpd prosody lua-sec inn2
          nsd ldnsutils unbound nginx)

log() { printf '[lab] %s\n' "$*" >&2; }
# shellcheck source=tests/lab/mail-domain.sh
source "$HERE/mail-domain.sh"
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# Answers a TCP connect on 127.0.0.1:$1 within a second?
port_answers() { timeout 1 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null; }

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do is_installed "$p" || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0

  log "installing: ${missing[*]}"
  # A policy-rc.d that says 101 keeps the stock daemons (25, 143, 110, ...) from
  # starting. Some images already ship one; only remove it if we made it.
  local policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# temporary, from tests/lab/up.sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap "rm -f '$policy'" EXIT
  fi
  # Fresh containers have no package lists yet.
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || apt-get update -q
  # "No configuration": we never use /etc/postfix/main.cf, so don't create one.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  # inn2's postinst runs newaliases when /etc/aliases lacks "usenet:", which fails
  # without /etc/postfix/main.cf; an existing alias makes it skip that step.
  if [[ -f /etc/aliases ]] && ! grep -q '^usenet:' /etc/aliases; then echo 'usenet: root' >>/etc/aliases; fi
  # Stale package lists give 404s: refresh them once and try again.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } ||
    fix_inn2_configure
  for p in "${missing[@]}"; do is_installed "$p" || die "package $p did not install"; done
  if [[ "$(trap -p EXIT)" == *"$policy"* ]]; then rm -f "$policy"; trap - EXIT; fi
}

# inn2's postinst dies with "hostname does not resolve or domain not set in inn.conf"
# where the machine's name does not resolve (no DNS here). Give INN a domain and
# finish the configuration; the stock innd stays down thanks to policy-rc.d.
fix_inn2_configure() {
  [[ -f /etc/news/inn.conf ]] || return 1
  grep -q '^domain:' /etc/news/inn.conf || sed -i 's/^#domain:.*/domain:                      lab.test/' /etc/news/inn.conf
  # Postfix, installed in the same run, may have created /etc/aliases after our check.
  if [[ -f /etc/aliases ]] && ! grep -q '^usenet:' /etc/aliases; then echo 'usenet: root' >>/etc/aliases; fi
  DEBIAN_FRONTEND=noninteractive dpkg --configure -a
}

# Valid for at least 45 more days? (90-day certificates, renewed at half-life like real ones: a lab certificate
# must never trip the CertificateExpiringSoon finding's 30-day default.)
cert_fresh() { [[ -s $1 ]] && openssl x509 -noout -checkend 3888000 -in "$1" >/dev/null 2>&1; }

make_certs() {
  local d="$STATE/certs"
  mkdir -p "$d"
  if cert_fresh "$d/ca.crt" && cert_fresh "$d/server.crt" && [[ -s $d/server.key ]]; then
    return 0
  fi
  log "generating throwaway CA and server certificate"
  cat >"$d/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
# Deliberately no IP SAN: connecting to 127.0.0.1 must be a name mismatch.
subjectAltName = DNS:localhost, DNS:mail.lab.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  (
    umask 077
    openssl req -x509 -new -newkey rsa:2048 -nodes -days 90 -sha256 \
      -config "$d/openssl.cnf" -extensions ca \
      -subj "/O=StartTlsTools lab/CN=StartTlsTools lab CA" \
      -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
    openssl req -new -newkey rsa:2048 -nodes -sha256 -config "$d/openssl.cnf" \
      -subj "/O=StartTlsTools lab/CN=$LAB_HOSTNAME" \
      -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
    openssl x509 -req -in "$d/server.csr" -days 90 -sha256 \
      -set_serial "0x$(openssl rand -hex 16)" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
      -extfile "$d/openssl.cnf" -extensions server -out "$d/server.crt" 2>/dev/null
  )
  rm -f "$d/server.csr"
  chmod 644 "$d/ca.crt" "$d/server.crt"   # public; keys stay 600 (daemons read them as root)
}

make_password() {
  local f="$STATE/$LAB_USER.password" pw
  [[ -s $f ]] && return 0
  pw="$(head -c 600 /dev/urandom | tr -dc 'A-Za-z0-9')"
  pw="${pw:0:20}"
  ((${#pw} == 20)) || die "could not generate a password"
  (umask 077; printf '%s' "$pw" >"$f")   # no trailing newline: read it verbatim
}

start_postfix() {
  local d="$STATE/postfix"
  local sasl="$STATE/dovecot/run/auth-postfix"
  mkdir -p "$d/etc" "$d/queue" "$d/data"
  chown postfix "$d/data"

  cat >"$d/etc/main.cf" <<EOF
# Generated by tests/lab/up.sh; edits are overwritten.
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $d/postfix.log
maillog_file_prefixes = $STATE

myhostname = $LAB_HOSTNAME
mydomain = lab.test
myorigin = \$myhostname
mydestination = \$myhostname, localhost
mynetworks = 127.0.0.0/8
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtpd_banner = \$myhostname ESMTP Postfix

# Never use DNS, never deliver: every transport discards.
smtp_dns_support_level = disabled
default_transport = discard
local_transport = discard
relay_transport = discard
virtual_transport = discard
local_recipient_maps =
alias_maps =
alias_database =
biff = no

smtpd_tls_chain_files = $STATE/certs/server.key, $STATE/certs/server.crt
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_loglevel = 1
smtpd_tls_security_level = may

# AUTH is switched on per listener in master.cf.
smtpd_sasl_auth_enable = no
smtpd_sasl_type = dovecot
smtpd_sasl_path = $sasl
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
EOF

  # No chroot anywhere: a chroot would need copies of /etc files in the queue dir.
  cat >"$d/etc/master.cf" <<EOF
# Generated by tests/lab/up.sh; edits are overwritten.
# service         type  private unpriv chroot wakeup maxproc command
127.0.0.1:${LAB_PORTS[SMTP]} inet n - n - - smtpd
  -o syslog_name=postfix/smtp-${LAB_PORTS[SMTP]}
127.0.0.1:${LAB_PORTS[SMTP_PLAIN]} inet n - n - - smtpd
  -o syslog_name=postfix/plain-${LAB_PORTS[SMTP_PLAIN]}
  -o smtpd_tls_security_level=none
127.0.0.1:${LAB_PORTS[SUBMISSION]} inet n - n - - smtpd
  -o syslog_name=postfix/submission-${LAB_PORTS[SUBMISSION]}
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
127.0.0.1:${LAB_PORTS[SMTPS]} inet n - n - - smtpd
  -o syslog_name=postfix/smtps-${LAB_PORTS[SMTPS]}
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
127.0.0.1:${LAB_PORTS[SUBMISSION_PLAIN]} inet n - n - - smtpd
  -o syslog_name=postfix/submission-plain-${LAB_PORTS[SUBMISSION_PLAIN]}
  -o smtpd_tls_security_level=none
  -o smtpd_tls_auth_only=no
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
proxywrite unix - - n -    1 proxymap
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF

  postfix -c "$d/etc" check
  # Daemons must not inherit our stdout: a caller piping this script (| tail)
  # would otherwise wait for EOF forever.
  postfix -c "$d/etc" start </dev/null >"$d/start.log" 2>&1 || { cat "$d/start.log" >&2; die "postfix did not start"; }
}

# A second Postfix instance for Get-TlsCapability: TLS 1.0 to 1.3 and the widest cipher list OpenSSL 3
# serves (@SECLEVEL=0 admits SHA-1 signatures, NULL and anonymous suites). Own queue, same certificate.
start_legacy_smtp() {
  local d="$STATE/legacy-postfix"
  mkdir -p "$d/etc" "$d/queue" "$d/data"
  chown postfix "$d/data"
  cp "$STATE/postfix/etc/main.cf" "$d/etc/main.cf"
  postconf -c "$d/etc" -e \
    "queue_directory = $d/queue" "data_directory = $d/data" "maillog_file = $d/postfix.log" \
    "smtpd_sasl_auth_enable = no" \
    "smtpd_tls_protocols = >=TLSv1" "smtpd_tls_mandatory_protocols = >=TLSv1" \
    "smtpd_tls_ciphers = export" "smtpd_tls_mandatory_ciphers = export" \
    "tls_export_cipherlist = ALL:COMPLEMENTOFALL:@SECLEVEL=0"
  {
    echo "# Generated by tests/lab/up.sh; edits are overwritten."
    echo "127.0.0.1:${LAB_PORTS[LEGACY_SMTP]} inet n - n - - smtpd"
    echo "  -o syslog_name=postfix/legacy-${LAB_PORTS[LEGACY_SMTP]}"
    echo "127.0.0.1:${LAB_PORTS[LEGACY_SMTPS]} inet n - n - - smtpd"
    echo "  -o syslog_name=postfix/legacys-${LAB_PORTS[LEGACY_SMTPS]}"
    echo "  -o smtpd_tls_wrappermode=yes"
    echo "  -o smtpd_tls_security_level=encrypt"
    echo "  -o tls_preempt_cipherlist=yes"  # server's cipher order here, the client's on the STARTTLS listener
    sed -n '/^pickup/,$p' "$STATE/postfix/etc/master.cf"
  } >"$d/etc/master.cf"
  postfix -c "$d/etc" check
  postfix -c "$d/etc" start </dev/null >"$d/start.log" 2>&1 || { cat "$d/start.log" >&2; die "legacy postfix did not start"; }
}

start_dovecot() {
  local d="$STATE/dovecot"
  local nobody_uid nobody_gid
  nobody_uid="$(id -u nobody)"; nobody_gid="$(id -g nobody)"
  mkdir -p "$d/run" "$d/state" "$d/mail/$LAB_USER"
  # Mail processes run as nobody; only the mailbox needs to be theirs.
  chown "$nobody_uid:$nobody_gid" "$d/mail/$LAB_USER"
  chmod 700 "$d/mail/$LAB_USER"

  # passwd-file: user:{scheme}hash:uid:gid::home. Hashed so the file need not be secret.
  local hash
  hash="$(openssl passwd -6 -stdin <"$STATE/$LAB_USER.password")"
  printf '%s:{SHA512-CRYPT}%s:%s:%s::%s::\n' \
    "$LAB_USER" "$hash" "$nobody_uid" "$nobody_gid" "$d/mail/$LAB_USER" >"$d/users"
  chmod 644 "$d/users"

  local dh=""
  [[ -r /usr/share/dovecot/dh.pem ]] && dh="ssl_dh = </usr/share/dovecot/dh.pem"

  cat >"$d/dovecot.conf" <<EOF
# Generated by tests/lab/up.sh; edits are overwritten.
instance_name = starttlstools-lab
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
auth_verbose = yes

protocols = imap pop3 lmtp sieve
listen = 127.0.0.1 $REMOTE_VIEW_ADDRESS

ssl = yes
ssl_cert = <$STATE/certs/server.crt
ssl_key = <$STATE/certs/server.key
ssl_min_protocol = TLSv1.2
$dh

# Dovecot treats a client whose address equals the server's as secure and then
# offers AUTH before TLS. On $REMOTE_VIEW_ADDRESS the kernel picks 127.0.0.1 as
# the client's source, so there Dovecot behaves as for a remote client.
disable_plaintext_auth = yes
login_trusted_networks =
auth_mechanisms = plain login

passdb {
  driver = passwd-file
  args = $d/users
}
userdb {
  driver = passwd-file
  args = $d/users
}
mail_location = maildir:~/Maildir

service imap-login {
  inet_listener imap {
    address = 127.0.0.1 $REMOTE_VIEW_ADDRESS
    port = ${LAB_PORTS[IMAP]}
  }
  inet_listener imaps {
    address = 127.0.0.1 $REMOTE_VIEW_ADDRESS
    port = ${LAB_PORTS[IMAPS]}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1 $REMOTE_VIEW_ADDRESS
    port = ${LAB_PORTS[POP3]}
  }
  inet_listener pop3s {
    address = 127.0.0.1 $REMOTE_VIEW_ADDRESS
    port = ${LAB_PORTS[POP3S]}
    ssl = yes
  }
}
# LMTP over TCP: STARTTLS comes from ssl = yes; no delivery is ever attempted.
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${LAB_PORTS[LMTP]}
  }
}
service managesieve-login {
  inet_listener sieve {
    address = 127.0.0.1 $REMOTE_VIEW_ADDRESS
    port = ${LAB_PORTS[SIEVE]}
  }
}
# Postfix SASL (smtpd_sasl_type = dovecot) talks to this socket.
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF

  dovecot -c "$d/dovecot.conf" </dev/null >"$d/start.log" 2>&1 || { cat "$d/start.log" >&2; die "dovecot did not start"; }
}

# One slapd process per config: slapd.conf applies TLS to every listener of a
# process, so the no-TLS listener (LDAP_PLAIN) needs a second slapd. Debian's
# slapd is GnuTLS-based. -d keeps it in the foreground (its log goes to a file,
# not to syslog); setsid and & detach it from this script.
start_slapd_instance() {
  local name=$1 urls=$2 tls=$3 extra=${4:-}
  local d="$STATE/$name"
  mkdir -p "$d/data" "$d/run"
  local tls_conf=""
  if ((tls)); then
    # slapd drops to openldap before it reads the key: give it its own copy.
    install -o openldap -g openldap -m 600 "$STATE/certs/server.key" "$d/server.key"
    tls_conf="TLSCACertificateFile $STATE/certs/ca.crt
TLSCertificateFile $STATE/certs/server.crt
TLSCertificateKeyFile $d/server.key"
  fi
  cat >"$d/slapd.conf" <<EOF
# Generated by tests/lab/up.sh; edits are overwritten.
include /etc/ldap/schema/core.schema
pidfile $d/run/slapd.pid
argsfile $d/run/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
$tls_conf
$extra

# The RootDSE (and everything else) is readable anonymously.
access to * by * read

database mdb
maxsize 16777216
suffix "dc=lab,dc=test"
rootdn "cn=admin,dc=lab,dc=test"
directory $d/data
EOF
  # It writes its pid file after dropping to openldap.
  chown -R openldap:openldap "$d/data" "$d/run"
  chmod 644 "$d/slapd.conf"
  rm -f "$d/run/slapd.pid"
  setsid slapd -f "$d/slapd.conf" -h "$urls" -u openldap -g openldap -d stats \
    </dev/null >"$d/slapd.log" 2>&1 &
}

start_slapd() {
  start_slapd_instance slapd "ldap://127.0.0.1:${LAB_PORTS[LDAP]}/ ldaps://127.0.0.1:${LAB_PORTS[LDAPS]}/" 1
  start_slapd_instance slapd-plain "ldap://127.0.0.1:${LAB_PORTS[LDAP_PLAIN]}/" 0
}

# TLS required, for TlsRequired=True: every operation before StartTLS (the RootDSE search and an anonymous
# bind included) is answered confidentialityRequired (13).
start_slapd_required() {
  start_slapd_instance slapd-required "ldap://127.0.0.1:${LAB_PORTS[LDAP_REQUIRED]}/" 1 "security ssf=128"
}

# A private cluster (initdb once, then reused) run by the postgres user.
start_postgresql() {
  local d="$STATE/postgresql" bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [[ -x $bin/initdb ]] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)"
  install -d -o postgres -g postgres -m 700 "$d" "$d/run"
  if [[ ! -s $d/data/PG_VERSION ]]; then
    rm -rf "$d/data"
    # Nobody ever logs in: TCP logins are rejected, the socket needs the postgres user.
    runuser -u postgres -- "$bin/initdb" -D "$d/data" --auth-local=peer --auth-host=reject \
      --no-instructions </dev/null >"$d/initdb.log" 2>&1 || { cat "$d/initdb.log" >&2; die "initdb failed"; }
  fi
  # PostgreSQL refuses a key readable by others; it reads it as postgres.
  install -o postgres -g postgres -m 600 "$STATE/certs/server.key" "$d/server.key"
  install -o postgres -g postgres -m 644 "$STATE/certs/server.crt" "$d/server.crt"
  runuser -u postgres -- "$bin/pg_ctl" -D "$d/data" -l "$d/postgresql.log" -w -t 30 start -o \
    "-c port=${LAB_PORTS[POSTGRESQL]} -c listen_addresses=127.0.0.1 -c unix_socket_directories=$d/run \
     -c ssl=on -c ssl_cert_file=$d/server.crt -c ssl_key_file=$d/server.key -c ssl_ca_file=$STATE/certs/ca.crt" \
    </dev/null >"$d/start.log" 2>&1 || { cat "$d/start.log" "$d/postgresql.log" >&2; die "postgresql did not start"; }
}

# A private MariaDB (datadir created once, then reused) run by the mysql user.
# skip-name-resolve: it must never ask the (unreachable) DNS resolver.
start_mariadb() {
  local d="$STATE/mariadb"
  install -d -o mysql -g mysql -m 750 "$d" "$d/run"
  if [[ ! -d $d/data/mysql ]]; then
    rm -rf "$d/data"
    mariadb-install-db --no-defaults --datadir="$d/data" --user=mysql --skip-test-db \
      --auth-root-authentication-method=socket </dev/null >"$d/install.log" 2>&1 ||
      { cat "$d/install.log" >&2; die "mariadb-install-db failed"; }
  fi
  install -o mysql -g mysql -m 600 "$STATE/certs/server.key" "$d/server.key"
  # With no account for host 127.0.0.1 the server's greeting is an ERR packet (1130,
  # "Host is not allowed"). A locked account that can never log in lets it greet.
  printf "CREATE USER IF NOT EXISTS 'starttls'@'127.0.0.1' ACCOUNT LOCK;\n" >"$d/init.sql"
  chmod 644 "$d/init.sql"
  rm -f "$d/run/mariadb.pid"
  setsid mariadbd --no-defaults --user=mysql --datadir="$d/data" \
    --port="${LAB_PORTS[MYSQL]}" --bind-address=127.0.0.1 --skip-name-resolve \
    --socket="$d/run/mariadb.sock" --pid-file="$d/run/mariadb.pid" --log-error="$d/mariadb.log" \
    --ssl-ca="$STATE/certs/ca.crt" --ssl-cert="$STATE/certs/server.crt" --ssl-key="$d/server.key" \
    --innodb-buffer-pool-size=16M --skip-log-bin --init-file="$d/init.sql" \
    </dev/null >"$d/start.log" 2>&1 &
}

# INN's reader daemon alone (no innd): nnrpd -D listens itself, -S is implicit TLS.
# It reads our own inn.conf through INNCONF; articles, active file and storage.conf
# stay Debian's (empty), the overview is ours because nnrpd only opens it read-only.
start_inn() {
  local d="$STATE/inn" innbin=/usr/lib/news/bin
  mkdir -p "$d/overview"
  install -o news -g news -m 644 "$STATE/certs/server.crt" "$d/server.crt"
  install -o news -g news -m 600 "$STATE/certs/server.key" "$d/server.key"
  cat >"$d/inn.conf" <<EOF
# Generated by tests/lab/up.sh; edits are overwritten.
domain: lab.test
pathhost: news.lab.test
organization: "StartTlsTools lab"
mta: "/bin/false %s"
ovmethod: tradindexed
hismethod: hisv6
pathnews: /usr/lib/news
pathbin: $innbin
pathcontrol: $innbin/control
pathetc: /etc/news
pathfilter: /etc/news/filter
pathdb: /var/lib/news
pathspool: /var/spool/news
patharticles: /var/spool/news/articles
pathincoming: /var/spool/news/incoming
pathoutgoing: /var/spool/news/outgoing
patharchive: /var/spool/news/archive
pathoverview: $d/overview
pathrun: $d
pathlog: $d
pathtmp: $d
pathhttp: $d
# nnrpd greets "400 load at N, try later" above this load average (default 16); a busy CI box is no reason.
nnrpdloadlimit: 0
tlscertfile: $d/server.crt
tlskeyfile: $d/server.key
tlscafile: $STATE/certs/ca.crt
EOF
  chown news:news "$d" "$d/overview"
  # nnrpd refuses readers ("400 NNTP server unavailable") until the overview has a group.index.
  [[ -s $d/overview/group.index ]] ||
    INNCONF="$d/inn.conf" runuser -u news -- "$innbin/makehistory" -O -x -F </dev/null >"$d/makehistory.log" 2>&1 ||
    { cat "$d/makehistory.log" >&2; die "could not create INN's overview"; }
  # nnrpd -D forks into the background and writes $d/nnrpd-PORT.pid itself.
  INNCONF="$d/inn.conf" "$innbin/nnrpd" -D -b 127.0.0.1 -p "${LAB_PORTS[NNTP]}" </dev/null >"$d/nnrpd.log" 2>&1 ||
    { cat "$d/nnrpd.log" >&2; die "nnrpd did not start"; }
  INNCONF="$d/inn.conf" "$innbin/nnrpd" -D -S -b 127.0.0.1 -p "${LAB_PORTS[NNTPS]}" </dev/null >"$d/nnrpds.log" 2>&1 ||
    { cat "$d/nnrpds.log" >&2; die "nnrpd -S did not start"; }
}

# Two vsftpd instances: AUTH TLS on FTP, implicit TLS (implicit_ssl) on FTPS.
# background=NO, so $! is vsftpd's own pid.
start_vsftpd() {
  local d="$STATE/vsftpd" mode port implicit
  mkdir -p "$d/empty"
  for mode in explicit implicit; do
    port=${LAB_PORTS[FTP]}; implicit=NO
    [[ $mode == implicit ]] && { port=${LAB_PORTS[FTPS]}; implicit=YES; }
    # vsftpd insists that its config file is owned by root (it is: we write it as root).
    cat >"$d/$mode.conf" <<EOF
# Generated by tests/lab/up.sh; edits are overwritten.
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$port
background=NO
ftpd_banner=StartTlsTools lab FTP
# Nobody logs in; vsftpd refuses to start unless some kind of login is enabled.
anonymous_enable=NO
local_enable=YES
pam_service_name=vsftpd
write_enable=NO
pasv_enable=NO
secure_chroot_dir=$d/empty
nopriv_user=nobody
xferlog_enable=NO
syslog_enable=NO
vsftpd_log_file=$d/$mode.log
# Containers here lack the namespaces and seccomp vsftpd would use.
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
ssl_enable=YES
implicit_ssl=$implicit
rsa_cert_file=$STATE/certs/server.crt
rsa_private_key_file=$STATE/certs/server.key
ssl_ciphers=HIGH
require_ssl_reuse=NO
# vsftpd 3.0.3 lists "AUTH TLS" in FEAT only when ssl_tlsv1=YES (it accepts AUTH TLS either way).
ssl_tlsv1=YES
ssl_sslv2=NO
ssl_sslv3=NO
force_local_logins_ssl=NO
force_local_data_ssl=NO
EOF
    vsftpd "$d/$mode.conf" </dev/null >"$d/$mode.out" 2>&1 &
    echo $! >"$d/$mode.pid"
  done
}

# TLS required before any login, for TlsRequired=True: USER (anonymous or not) before AUTH TLS is answered 530.
# Anonymous is enabled only so that its login can be refused for want of TLS; nobody ever logs in.
start_vsftpd_required() {
  local d="$STATE/vsftpd-required"
  mkdir -p "$d/empty"
  cat >"$d/vsftpd.conf" <<EOF
# Generated by tests/lab/up.sh; edits are overwritten.
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=${LAB_PORTS[FTP_REQUIRED]}
background=NO
ftpd_banner=StartTlsTools lab FTP, TLS required
anonymous_enable=YES
anon_root=$d/empty
local_enable=YES
pam_service_name=vsftpd
write_enable=NO
pasv_enable=NO
secure_chroot_dir=$d/empty
nopriv_user=nobody
xferlog_enable=NO
syslog_enable=NO
vsftpd_log_file=$d/vsftpd.log
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
ssl_enable=YES
rsa_cert_file=$STATE/certs/server.crt
rsa_private_key_file=$STATE/certs/server.key
ssl_ciphers=HIGH
require_ssl_reuse=NO
ssl_tlsv1=YES
ssl_sslv2=NO
ssl_sslv3=NO
allow_anon_ssl=YES
force_anon_logins_ssl=YES
force_local_logins_ssl=YES
force_anon_data_ssl=YES
force_local_data_ssl=YES
EOF
  vsftpd "$d/vsftpd.conf" </dev/null >"$d/vsftpd.out" 2>&1 &
  echo $! >"$d/vsftpd.pid"
}

# Prosody refuses root: it runs as the prosody user and reads copies of the
# certificate and key it owns. It writes its own pid file.
start_prosody() {
  local d="$STATE/prosody"
  mkdir -p "$d/data" "$d/certs"
  install -o prosody -g prosody -m 644 "$STATE/certs/server.crt" "$d/certs/server.crt"
  install -o prosody -g prosody -m 600 "$STATE/certs/server.key" "$d/certs/server.key"
  cat >"$d/prosody.cfg.lua" <<EOF
-- Generated by tests/lab/up.sh; edits are overwritten.
pidfile = "$d/prosody.pid"
data_path = "$d/data"
log = { { levels = { min = "info" }, to = "file", filename = "$d/prosody.log" } }
interfaces = { "127.0.0.1" }
c2s_ports = { ${LAB_PORTS[XMPP]} }
s2s_ports = { ${LAB_PORTS[XMPP_S2S]} }
c2s_direct_tls_ports = { ${LAB_PORTS[XMPPS]} }
http_ports = { }
https_ports = { }
modules_enabled = { "tls", "saslauth", "disco", "ping", "dialback", "roster" }
authentication = "internal_hashed"
c2s_require_encryption = true
s2s_require_encryption = true
s2s_secure_auth = false
ssl = { certificate = "$d/certs/server.crt", key = "$d/certs/server.key" }
-- The tests' XMPP domain is the host name they connect to.
VirtualHost "localhost"
EOF
  chown -R prosody:prosody "$d"
  runuser -u prosody -- prosody --config "$d/prosody.cfg.lua" </dev/null >"$d/prosody.out" 2>&1 &
}

# Bounded wait so a broken daemon fails the run instead of hanging CI.
wait_for_ports() {
  local deadline=$((SECONDS + 30)) name port
  for name in "${!LAB_PORTS[@]}"; do
    port="${LAB_PORTS[$name]}"
    until port_answers "$port"; do
      if ((SECONDS >= deadline)); then
        local logf="$STATE/dovecot/dovecot.log"
        [[ $name == SMTP* || $name == SUBMISSION* ]] && logf="$STATE/postfix/postfix.log"
        [[ $name == LDAP* ]] && logf="$STATE/slapd/slapd.log"
        [[ $name == LDAP_PLAIN ]] && logf="$STATE/slapd-plain/slapd.log"
        [[ $name == POSTGRESQL ]] && logf="$STATE/postgresql/postgresql.log"
        [[ $name == MYSQL ]] && logf="$STATE/mariadb/mariadb.log"
        [[ $name == FTP* ]] && logf="$STATE/vsftpd/*.out"
        [[ $name == XMPP* ]] && logf="$STATE/prosody/prosody.log"
        [[ $name == NNTP* ]] && logf="$STATE/inn/nnrpd*.log (nnrpd logs to syslog)"
        [[ $name == LEGACY_* ]] && logf="$STATE/legacy-postfix/postfix.log"
        [[ $name == DNS_AUTHORITY ]] && logf="$STATE/dns/nsd.log"
        [[ $name == DNS_RESOLVER ]] && logf="$STATE/unbound/unbound.log"
        die "$name port $port is not answering after 30 s; see $logf"
      fi
      sleep 0.2
    done
  done
}

write_env() {
  local name
  {
    echo "# Generated by tests/lab/up.sh. KEY=VALUE, no quoting, no spaces."
    echo "LAB_DIR=$STATE"
    echo "LAB_CA=$STATE/certs/ca.crt"
    echo "LAB_HOSTNAME=$LAB_HOSTNAME"
    echo "LAB_USER=$LAB_USER"
    for name in LDAP_REQUIRED FTP_REQUIRED; do echo "LAB_${name}_PORT=${LAB_PORTS[$name]}"; done
    echo "LAB_PASSWORD_FILE=$STATE/$LAB_USER.password"
    echo "LAB_REMOTE_VIEW_ADDRESS=$REMOTE_VIEW_ADDRESS"
    echo "LAB_POSTFIX_LOG=$STATE/postfix/postfix.log"
    for name in SMTP SMTP_PLAIN SUBMISSION SMTPS SUBMISSION_PLAIN IMAP IMAPS POP3 POP3S LDAP LDAPS LDAP_PLAIN POSTGRESQL MYSQL \
                LMTP SIEVE FTP FTPS XMPP XMPP_S2S XMPPS NNTP NNTPS LEGACY_SMTP LEGACY_SMTPS DNS_AUTHORITY DNS_RESOLVER; do
      echo "LAB_${name}_PORT=${LAB_PORTS[$name]}"
    done
    write_mail_domain_env
  } >"$STATE/lab.env.tmp"
  mv "$STATE/lab.env.tmp" "$STATE/lab.env"
}

main() {
  ((EUID == 0)) || die "run as root (sudo $0): the daemons need root to start"
  [[ $STATE != *[[:space:]]* ]] || die "STARTTLS_LAB_DIR must not contain whitespace: $STATE"

  local t0=$SECONDS
  install_packages
  mkdir -p "$STATE"
  chmod 755 "$STATE"   # postfix and nobody must traverse it
  runuser -u nobody -- test -x "$STATE" ||
    die "$STATE is not reachable for unprivileged users; pick another STARTTLS_LAB_DIR"

  # Restart semantics: stop whatever a previous run left, then start fresh.
  STARTTLS_LAB_DIR="$STATE" "$HERE/down.sh" --quiet

  local name
  for name in "${!LAB_PORTS[@]}"; do
    ! port_answers "${LAB_PORTS[$name]}" ||
      die "port ${LAB_PORTS[$name]} ($name) is already used by something else: ss -ltnp 'sport = :${LAB_PORTS[$name]}'"
  done
  check_mail_domain_addresses_free

  make_certs
  make_password
  start_dovecot   # first: Postfix's AUTH relies on Dovecot's socket
  start_postfix
  start_slapd
  start_postgresql
  start_mariadb
  start_inn
  start_vsftpd
  start_slapd_required
  start_vsftpd_required
  start_prosody
  start_legacy_smtp
  start_mail_domain_lab
  wait_for_ports
  wait_for_mail_domain_lab
  write_env
  log "lab is up in $((SECONDS - t0)) s; settings in $STATE/lab.env"
}

main "$@"

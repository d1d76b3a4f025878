# shellcheck shell=bash
# The mail-domain part of the lab, sourced by up.sh: a DNSSEC-signed zone (NSD), a validating resolver
# (unbound) that only knows that zone, an MX Postfix on port 25 and nginx on port 443 for the MTA-STS
# policies, each on this lab's own loopback addresses ($DOMAIN_NET.x, derived from the port offset).
# Nothing here ever queries or connects off the machine: unbound has no upstream but the stub zone, refuses
# every other name and sends only from 127.0.0.1.
#
# Lab domains (all under $LAB_ZONE) and what each is for; tests/lab/README.md has the table with verdicts.
MAIL_DOMAINS=(good dane-ta dane-mismatch dane-pkix insecure bogus sts-testing sts-uncovered sts-unreachable
              sts-malformed sts-nopolicy sts-badcert tlsrpt-bad tlsrpt-missing nullmx implicit mx-cname mx-noaddr)
# Names the domain certificate covers: every MX host except mx-nosan, every mta-sts.<domain> with a policy host.
DOMAIN_CERT_NAMES=(mx1 mx2 mx-ta mx-mismatch mx-pkix mx.insecure mx.bogus implicit mx-alias
                   mta-sts.good mta-sts.sts-testing mta-sts.sts-uncovered mta-sts.sts-malformed mta-sts.sts-nopolicy
                   mta-sts.sts-badcert mta-sts.sts-unreachable)

# A second server certificate from the lab CA for the MX hosts and policy hosts (regenerated when stale or
# when the name list changes). The CA certificate follows it in the chain files: DANE-TA (2 0 1) matches the
# CA, which RFC 7671 section 5.2.2 requires the server to present.
make_domain_cert() {
  local d="$STATE/certs" sans="" n
  for n in "${DOMAIN_CERT_NAMES[@]}"; do sans+="${sans:+, }DNS:$n.$LAB_ZONE"; done
  if cert_fresh "$d/domain.crt" && [[ -s $d/domain.key && "$(cat "$d/domain.sans" 2>/dev/null)" == "$sans" ]] &&
     openssl verify -CAfile "$d/ca.crt" "$d/domain.crt" >/dev/null 2>&1; then
    return 0
  fi
  log "generating the mail-domain certificate"
  cat >"$d/domain.cnf" <<EOF
[req]
distinguished_name = dn
[dn]
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $sans
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  (
    umask 077
    openssl req -new -newkey rsa:2048 -nodes -sha256 -config "$d/domain.cnf" \
      -subj "/O=StartTlsTools lab/CN=mx1.$LAB_ZONE" -keyout "$d/domain.key" -out "$d/domain.csr" 2>/dev/null
    openssl x509 -req -in "$d/domain.csr" -days 90 -sha256 -set_serial "0x$(openssl rand -hex 16)" \
      -CA "$d/ca.crt" -CAkey "$d/ca.key" -extfile "$d/domain.cnf" -extensions server -out "$d/domain.crt" 2>/dev/null
  )
  rm -f "$d/domain.csr"
  printf '%s' "$sans" >"$d/domain.sans"
  cat "$d/domain.crt" "$d/ca.crt" >"$d/domain-chain.crt"
  chmod 644 "$d/domain.crt" "$d/domain-chain.crt"
}

# TLSA association data, computed from the real certificates (so a new certificate gets new records).
spki_sha256() { openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1; }
cert_sha256() { openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1; }

# A key pair for a zone: KSK (-k) or ZSK; prints the base name of the files.
zone_key() { (cd "$1" && ldns-keygen -a ECDSAP256SHA256 ${3:+-k} "$2"); }

write_zones() {
  local z="$STATE/dns" ee ta
  rm -rf "$z"; mkdir -p "$z"
  ee="$(spki_sha256 "$STATE/certs/domain.crt")"
  ta="$(cert_sha256 "$STATE/certs/ca.crt")"
  local soa="@ 300 IN SOA ns.$LAB_ZONE. hostmaster.$LAB_ZONE. $(date +%s) 3600 600 86400 300"
  local rpt='"v=TLSRPTv1; rua=mailto:tlsrpt@lab.test,https://reports.lab.test/v1/tlsrpt"'
  local sts='"v=STSv1; id=20261202T000000;"'

  # Child zones: one unsigned (no DS in the parent: insecure), one signed with a key the parent's DS does not name (bogus).
  cat >"$z/insecure.$LAB_ZONE.zone" <<EOF
\$ORIGIN insecure.$LAB_ZONE.
\$TTL 300
$soa
@ NS ns.$LAB_ZONE.
@ MX 10 mx.insecure.$LAB_ZONE.
mx A $MX1_ADDRESS
_25._tcp.mx TLSA 3 1 1 $ee
_smtp._tls TXT $rpt
EOF
  cat >"$z/bogus.$LAB_ZONE.zone" <<EOF
\$ORIGIN bogus.$LAB_ZONE.
\$TTL 300
$soa
@ NS ns.$LAB_ZONE.
@ MX 10 mx.bogus.$LAB_ZONE.
mx A $MX1_ADDRESS
_25._tcp.mx TLSA 3 1 1 $ee
_smtp._tls TXT $rpt
EOF
  local bogus_ds_key bogus_ksk bogus_zsk
  bogus_ds_key="$(zone_key "$z" "bogus.$LAB_ZONE" k)"   # named by the parent's DS, never signs
  bogus_ksk="$(zone_key "$z" "bogus.$LAB_ZONE" k)"
  bogus_zsk="$(zone_key "$z" "bogus.$LAB_ZONE")"
  cat "$z/$bogus_ksk.key" "$z/$bogus_zsk.key" >>"$z/bogus.$LAB_ZONE.zone"
  (cd "$z" && ldns-signzone -o "bogus.$LAB_ZONE" "bogus.$LAB_ZONE.zone" "$bogus_ksk" "$bogus_zsk")

  cat >"$z/$LAB_ZONE.zone" <<EOF
\$ORIGIN $LAB_ZONE.
\$TTL 300
$soa
@ NS ns.$LAB_ZONE.
ns A 127.0.0.1
insecure NS ns.$LAB_ZONE.
bogus NS ns.$LAB_ZONE.
$(ldns-key2ds -n -2 "$z/$bogus_ds_key.key" | sed "s/^bogus\.$LAB_ZONE\.[[:space:]]*[0-9]*[[:space:]]*IN/bogus 300 IN/")
; MX hosts: two Postfix listeners on port 25
mx1 A $MX1_ADDRESS
mx2 A $MX2_ADDRESS
mx-ta A $MX2_ADDRESS
mx-mismatch A $MX1_ADDRESS
mx-pkix A $MX1_ADDRESS
mx-nosan A $MX1_ADDRESS
mx-alias CNAME mx1.$LAB_ZONE.
_25._tcp.mx1 TLSA 3 1 1 $ee
_25._tcp.mx2 TLSA 3 1 1 $ee
_25._tcp.mx-ta TLSA 2 0 1 $ta
_25._tcp.mx-mismatch TLSA 3 1 1 $(printf '%064d' 0)
_25._tcp.mx-pkix TLSA 1 1 1 $ee
_25._tcp.implicit TLSA 3 1 1 $ee
reports A 127.0.0.1
; Mail domains
good MX 10 mx1.$LAB_ZONE.
good MX 20 mx2.$LAB_ZONE.
dane-ta MX 10 mx-ta.$LAB_ZONE.
dane-mismatch MX 10 mx-mismatch.$LAB_ZONE.
dane-pkix MX 10 mx-pkix.$LAB_ZONE.
sts-testing MX 10 mx1.$LAB_ZONE.
sts-uncovered MX 10 mx1.$LAB_ZONE.
sts-uncovered MX 20 mx2.$LAB_ZONE.
sts-unreachable MX 10 mx1.$LAB_ZONE.
sts-malformed MX 10 mx1.$LAB_ZONE.
sts-nopolicy MX 10 mx1.$LAB_ZONE.
sts-badcert MX 10 mx-nosan.$LAB_ZONE.
tlsrpt-bad MX 10 mx1.$LAB_ZONE.
tlsrpt-missing MX 10 mx1.$LAB_ZONE.
nullmx MX 0 .
implicit A $MX1_ADDRESS
mx-cname MX 10 mx-alias.$LAB_ZONE.
mx-noaddr MX 10 mx-missing.$LAB_ZONE.
; MTA-STS: TXT records and policy hosts
_mta-sts.good TXT $sts
_mta-sts.sts-testing TXT $sts
_mta-sts.sts-uncovered TXT $sts
_mta-sts.sts-unreachable TXT $sts
_mta-sts.sts-malformed TXT $sts
_mta-sts.sts-nopolicy TXT $sts
_mta-sts.sts-badcert TXT $sts
mta-sts.good A $MTA_STS_ADDRESS
mta-sts.sts-testing A $MTA_STS_ADDRESS
mta-sts.sts-uncovered A $MTA_STS_ADDRESS
mta-sts.sts-malformed A $MTA_STS_ADDRESS
mta-sts.sts-nopolicy A $MTA_STS_ADDRESS
mta-sts.sts-badcert A $MTA_STS_ADDRESS
mta-sts.sts-unreachable A $UNREACHABLE_ADDRESS
; TLS-RPT: good everywhere except the two TLS-RPT cases (and the null MX, which receives no mail)
_smtp._tls.tlsrpt-bad TXT "v=TLSRPTv1; rua=ftp://reports.lab.test/tlsrpt"
EOF
  local d
  for d in good dane-ta dane-mismatch dane-pkix sts-testing sts-uncovered sts-unreachable sts-malformed sts-nopolicy \
           sts-badcert implicit mx-cname mx-noaddr; do
    echo "_smtp._tls.$d TXT $rpt" >>"$z/$LAB_ZONE.zone"
  done
  local ksk zsk
  ksk="$(zone_key "$z" "$LAB_ZONE" k)"
  zsk="$(zone_key "$z" "$LAB_ZONE")"
  cat "$z/$ksk.key" "$z/$zsk.key" >>"$z/$LAB_ZONE.zone"
  (cd "$z" && ldns-signzone -o "$LAB_ZONE" "$LAB_ZONE.zone" "$ksk" "$zsk")
  # unbound's trust anchor: the lab zone's KSK as a DS record.
  ldns-key2ds -n -2 "$z/$ksk.key" >"$z/trust-anchor.ds"
  chmod -R a+rX "$z"
}

start_nsd() {
  local z="$STATE/dns"
  cat >"$z/nsd.conf" <<EOF
# Generated by tests/lab/mail-domain.sh; edits are overwritten.
server:
  ip-address: 127.0.0.1@${LAB_PORTS[DNS_AUTHORITY]}
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$z"
  database: ""
  pidfile: "$z/nsd.pid"
  logfile: "$z/nsd.log"
  xfrdfile: "$z/xfrd.state"
  zonelistfile: "$z/zone.list"
  xfrdir: "$z"
  server-count: 1
  hide-version: yes
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: "$LAB_ZONE"
  zonefile: "$LAB_ZONE.zone.signed"
zone:
  name: "insecure.$LAB_ZONE"
  zonefile: "insecure.$LAB_ZONE.zone"
zone:
  name: "bogus.$LAB_ZONE"
  zonefile: "bogus.$LAB_ZONE.zone.signed"
EOF
  nsd-checkconf "$z/nsd.conf" || die "nsd.conf is invalid"
  nsd -c "$z/nsd.conf" </dev/null >"$z/nsd.out" 2>&1 || { cat "$z/nsd.out" "$z/nsd.log" >&2; die "nsd did not start"; }
}

start_unbound() {
  local u="$STATE/unbound"
  mkdir -p "$u"
  cat >"$u/unbound.conf" <<EOF
# Generated by tests/lab/mail-domain.sh; edits are overwritten.
server:
  interface: 127.0.0.1@${LAB_PORTS[DNS_RESOLVER]}
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  username: ""
  chroot: ""
  directory: "$u"
  pidfile: "$u/unbound.pid"
  logfile: "$u/unbound.log"
  use-syslog: no
  verbosity: 1
  val-log-level: 2
  # Nothing leaves the machine: the only upstream is the stub below, every other name is refused,
  # and queries may only leave from 127.0.0.1 (a packet from there to a non-loopback address is not routed).
  do-not-query-localhost: no
  outgoing-interface: 127.0.0.1
  local-zone: "." refuse
  local-zone: "test." nodefault
  local-zone: "$LAB_ZONE." transparent
  trust-anchor-file: "$STATE/dns/trust-anchor.ds"
  # The lab changes its zones at every start: no stale answers between runs.
  cache-max-ttl: 5
  cache-max-negative-ttl: 5
  qname-minimisation: no
  ede: yes
remote-control:
  control-enable: no
stub-zone:
  name: "$LAB_ZONE."
  stub-addr: 127.0.0.1@${LAB_PORTS[DNS_AUTHORITY]}
EOF
  unbound-checkconf "$u/unbound.conf" >/dev/null || die "unbound.conf is invalid"
  unbound -c "$u/unbound.conf" </dev/null >"$u/unbound.out" 2>&1 || { cat "$u/unbound.out" "$u/unbound.log" >&2; die "unbound did not start"; }
}

# The policies nginx serves, one folder per policy host (mta-sts.<domain>), CRLF line ends as RFC 8461 section 3.2 writes them.
write_mta_sts_policies() {
  local w="$STATE/nginx/www"
  rm -rf "$w"
  policy() {
    local host=$1; shift
    mkdir -p "$w/$host/.well-known"
    printf '%s\r\n' "$@" >"$w/$host/.well-known/mta-sts.txt"
  }
  policy "mta-sts.good.$LAB_ZONE" "version: STSv1" "mode: enforce" "mx: mx1.$LAB_ZONE" "mx: mx2.$LAB_ZONE" "max_age: 86400"
  policy "mta-sts.sts-testing.$LAB_ZONE" "version: STSv1" "mode: testing" "mx: *.$LAB_ZONE" "max_age: 604800"
  policy "mta-sts.sts-uncovered.$LAB_ZONE" "version: STSv1" "mode: enforce" "mx: mx1.$LAB_ZONE" "max_age: 86400"
  policy "mta-sts.sts-malformed.$LAB_ZONE" "version: STSv1" "mode: enforced" "max_age: forever"
  policy "mta-sts.sts-badcert.$LAB_ZONE" "version: STSv1" "mode: enforce" "mx: mx-nosan.$LAB_ZONE" "max_age: 86400"
  mkdir -p "$w/mta-sts.sts-nopolicy.$LAB_ZONE"   # the host answers, but has no policy: 404
  chmod -R a+rX "$STATE/nginx"
}

start_nginx() {
  local n="$STATE/nginx"
  mkdir -p "$n/tmp"
  write_mta_sts_policies
  cat >"$n/nginx.conf" <<EOF
# Generated by tests/lab/mail-domain.sh; edits are overwritten.
user nobody nogroup;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/error.log;
events { worker_connections 64; }
http {
  access_log $n/access.log;
  client_body_temp_path $n/tmp/body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  types { text/plain txt; }
  default_type application/octet-stream;
  server {
    listen $MTA_STS_ADDRESS:443 ssl;
    server_name _;
    ssl_certificate $STATE/certs/domain-chain.crt;
    ssl_certificate_key $STATE/certs/domain.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    # One folder per policy host; the host name is the one the client asked for (SNI and Host agree).
    root $n/www/\$host;
    location = /.well-known/mta-sts.txt { try_files \$uri =404; }
    location / { return 404; }
  }
}
EOF
  nginx -t -q -c "$n/nginx.conf" -p "$n" -e "$n/error.log" || die "nginx.conf is invalid"
  nginx -c "$n/nginx.conf" -p "$n" -e "$n/error.log" </dev/null >"$n/nginx.out" 2>&1 || { cat "$n/nginx.out" "$n/error.log" >&2; die "nginx did not start"; }
}

# A third Postfix instance: the MX hosts on port 25 of this lab's own addresses, with the domain certificate and the CA.
# inet_interfaces stays 127.0.0.1 (Postfix refuses addresses no interface carries, and 127.N.0.x is only routed to lo);
# master.cf's address:port listeners bind the MX addresses themselves.
start_mx_postfix() {
  local d="$STATE/mx-postfix"
  mkdir -p "$d/etc" "$d/queue" "$d/data"
  chown postfix "$d/data"
  cp "$STATE/postfix/etc/main.cf" "$d/etc/main.cf"
  postconf -c "$d/etc" -e \
    "queue_directory = $d/queue" "data_directory = $d/data" "maillog_file = $d/postfix.log" \
    "myhostname = mx1.$LAB_ZONE" \
    "smtpd_sasl_auth_enable = no" \
    "smtpd_tls_chain_files = $STATE/certs/domain.key, $STATE/certs/domain.crt, $STATE/certs/ca.crt"
  {
    echo "# Generated by tests/lab/mail-domain.sh; edits are overwritten."
    echo "$MX1_ADDRESS:25 inet n - n - - smtpd"
    echo "  -o syslog_name=postfix/mx1-25"
    echo "$MX2_ADDRESS:25 inet n - n - - smtpd"
    echo "  -o syslog_name=postfix/mx2-25"
    sed -n '/^pickup/,$p' "$STATE/postfix/etc/master.cf"
  } >"$d/etc/master.cf"
  postfix -c "$d/etc" check
  postfix -c "$d/etc" start </dev/null >"$d/start.log" 2>&1 || { cat "$d/start.log" >&2; die "mx postfix did not start"; }
}

# Answers a TCP connect on address $1 port $2 within a second?
address_answers() { timeout 1 bash -c ": </dev/tcp/$1/$2" 2>/dev/null; }

check_mail_domain_addresses_free() {
  local a
  for a in "$MX1_ADDRESS:25" "$MX2_ADDRESS:25" "$MTA_STS_ADDRESS:443"; do
    ! address_answers "${a%:*}" "${a#*:}" || die "$a is already used by something else (another lab with the same offset?): ss -ltnp"
  done
}

start_mail_domain_lab() {
  make_domain_cert
  write_zones
  start_nsd
  start_unbound
  start_nginx
  start_mx_postfix
}

wait_for_mail_domain_lab() {
  local deadline=$((SECONDS + 30)) a
  for a in "$MX1_ADDRESS:25" "$MX2_ADDRESS:25" "$MTA_STS_ADDRESS:443"; do
    until address_answers "${a%:*}" "${a#*:}"; do
      ((SECONDS < deadline)) || die "$a is not answering after 30 s; see $STATE/mx-postfix/postfix.log or $STATE/nginx/error.log"
      sleep 0.2
    done
  done
  # The resolver must validate: the lab zone's SOA comes back with the AD bit.
  until drill -D -p "${LAB_PORTS[DNS_RESOLVER]}" @127.0.0.1 "$LAB_ZONE" SOA 2>/dev/null | grep -q '^;; flags:.* ad[ ;]'; do
    ((SECONDS < deadline)) || die "unbound on 127.0.0.1:${LAB_PORTS[DNS_RESOLVER]} does not validate $LAB_ZONE; see $STATE/unbound/unbound.log"
    sleep 0.2
  done
}

write_mail_domain_env() {
  local d
  echo "LAB_DNS_ZONE=$LAB_ZONE"
  echo "LAB_DNS_RESOLVER=127.0.0.1:${LAB_PORTS[DNS_RESOLVER]}"
  echo "LAB_DNS_RESOLVER_ADDRESS=127.0.0.1"
  echo "LAB_DOMAIN_CERT=$STATE/certs/domain.crt"
  echo "LAB_MX1_ADDRESS=$MX1_ADDRESS"
  echo "LAB_MX2_ADDRESS=$MX2_ADDRESS"
  echo "LAB_MTA_STS_ADDRESS=$MTA_STS_ADDRESS"
  echo "LAB_UNREACHABLE_ADDRESS=$UNREACHABLE_ADDRESS"
  echo "LAB_MX_POSTFIX_LOG=$STATE/mx-postfix/postfix.log"
  echo "LAB_MAIL_DOMAINS=$(for d in "${MAIL_DOMAINS[@]}"; do printf '%s.%s,' "$d" "$LAB_ZONE"; done | sed 's/,$//')"
}

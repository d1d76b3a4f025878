#!/usr/bin/env bash
# Fleet benchmark: many SMTP STARTTLS targets behind a simulated WAN (tests/lab/latency-relay.py in front of the lab's
# Postfix), ours and the peer tools side by side in one run, as targets per second and as ratios ours / theirs.
#
#   STARTTLS_LAB_DIR=/tmp/lab-x STARTTLS_LAB_PORT_OFFSET=N bash bench/fleet.sh                (as root, like up.sh)
#   MODE=memory STARTTLS_LAB_DIR=... bash bench/fleet.sh     peak RSS of a streaming 10,000-target pwsh run
#
# Settings (environment): TARGETS=1000 LATENCY_MS=50 (one way) THROTTLE=64 SERIAL_SAMPLE=50 (openssl loop, scaled)
# TESTSSL_TARGETS=20 CAP_TARGETS=20 SSLSCAN_SAMPLE=3 (sslscan is serial: timed on a sample, scaled) MEM_TARGETS=10000
# HOSTCAP_ADDRESSES=10 HOSTCAP_REPEAT=20 (the per-host cap check: each address that many times in one pipeline)
# FRONT_BASE=127.60.0.1 MEM_FRONT_BASE=127.60.64.1 (first relay address; the memory run can go beside a speed run)
# PARTS="ours hostcap cli openssl nmap testssl capability" (a subset runs only those) KEEP_OUT=1 keeps the work folder.
# Every tool does STARTTLS + TLS handshake + certificate fetch; the run counts the certificates each one reported.
# A tool or parameter that is missing is reported as "not available", never estimated.
# Nothing leaves the machine: the relay binds and forwards only 127/8; testssl.sh gets NXCONNECT=127.0.0.1:0, --nodns none.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
STATE="$(realpath -m "${STARTTLS_LAB_DIR:-/tmp/starttlstools-lab}")"
MODE="${MODE:-speed}"
TARGETS="${TARGETS:-1000}"
LATENCY_MS="${LATENCY_MS:-50}"
THROTTLE="${THROTTLE:-64}"
SERIAL_SAMPLE="${SERIAL_SAMPLE:-50}"
TESTSSL_TARGETS="${TESTSSL_TARGETS:-20}"
CAP_TARGETS="${CAP_TARGETS:-20}"
SSLSCAN_SAMPLE="${SSLSCAN_SAMPLE:-3}"
MEM_TARGETS="${MEM_TARGETS:-10000}"
HOSTCAP_ADDRESSES="${HOSTCAP_ADDRESSES:-10}"
HOSTCAP_REPEAT="${HOSTCAP_REPEAT:-20}"
FRONT_BASE="${FRONT_BASE:-127.60.0.1}"
MEM_FRONT_BASE="${MEM_FRONT_BASE:-127.60.64.1}"
PARTS="${PARTS:-ours hostcap cli openssl nmap testssl capability}"
PY=/usr/bin/python3; [[ -x $PY ]] || PY=python3   # not a pyenv shim: it costs a second per start
RELAY="$ROOT/tests/lab/latency-relay.py"

port_answers() { timeout 1 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null; }
env_value() { sed -n "s/^$1=//p" "$STATE/lab.env"; }
now() { date +%s.%N; }
calc() { echo "$*" | bc -l; }
fmt() { printf '%.2f' "$1"; }
part() { [[ " $PARTS " == *" $1 "* ]]; }
note() { printf '[fleet] %s\n' "$*" >&2; }

if [[ ! -s $STATE/lab.env ]] || ! port_answers "$(env_value LAB_SMTP_PORT)"; then
  bash "$ROOT/tests/lab/up.sh" >&2
fi
SMTP_PORT="$(env_value LAB_SMTP_PORT)"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"   # 2 shared cores: other work on the machine shows in every number

# Peer tools and GNU time come from Debian; install what is missing (a failed install is reported per tool below).
missing=()
command -v nmap >/dev/null || missing+=(nmap)
command -v sslscan >/dev/null || missing+=(sslscan)
command -v testssl >/dev/null || missing+=(testssl.sh)
[[ -x /usr/bin/time ]] || missing+=(time)
((${#missing[@]} == 0)) ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
  note "could not install: ${missing[*]}"

OUT="$(mktemp -d /tmp/fleet-bench.XXXXXX)"
RELAY_PID=""
stop_relay() {
  [[ -n $RELAY_PID ]] || return 0
  kill "$RELAY_PID" 2>/dev/null || true
  wait "$RELAY_PID" 2>/dev/null || true
  RELAY_PID=""
}
cleanup() { stop_relay; if [[ ${KEEP_OUT:-0} == 1 ]]; then note "work folder kept: $OUT"; else rm -rf "$OUT"; fi; }
trap cleanup EXIT

# start_relay FRONTS LATENCY_MS [FIRST_ADDRESS]: waits for its "ready" line (at most 60 s).
start_relay() {
  "$PY" "$RELAY" serve --backend "25=127.0.0.1:$SMTP_PORT" --fronts "$1" --latency-ms "$2" --front-base "${3:-$FRONT_BASE}" \
    --max-connections 4096 --lifetime 7200 --log "$OUT/relay.log" --pid-file "$OUT/relay.pid" >"$OUT/relay.out" 2>&1 &
  RELAY_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    grep -q '^latency-relay ready' "$OUT/relay.out" 2>/dev/null && { note "$(head -1 "$OUT/relay.out")"; return 0; }
    kill -0 "$RELAY_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$OUT/relay.out" >&2; echo "the relay did not start" >&2; exit 1
}
log_lines() { [[ -f $OUT/relay.log ]] && wc -l <"$OUT/relay.log" || echo 0; }
# relay_report SINCE_LINE -> "connections max_per_front max_backend"
relay_report() {
  "$PY" "$RELAY" report --log "$OUT/relay.log" --since-line "$1" --json |
    "$PY" -c 'import json,sys; r=json.load(sys.stdin); print(r["connections"], r["max_concurrent_per_front"], r["max_concurrent_backend"])'
}

PWSH=(dotnet tool run pwsh -NoProfile -NonInteractive)
# Ours, in-process: the module as `dotnet build StartTlsTools.sln` leaves it in out/StartTlsTools.
prepare_ours() {
  (cd "$ROOT" && dotnet tool restore >/dev/null && { [[ -f out/StartTlsTools/StartTlsTools.psd1 ]] ||
    dotnet build StartTlsTools.sln -nologo -clp:ErrorsOnly >&2; })
  # "True True" when Test-StartTls and Get-TlsCapability have -ThrottleLimit.
  read -r HAS_THROTTLE HAS_CAP_THROTTLE < <(cd "$ROOT" && "${PWSH[@]}" -c 'Import-Module ./out/StartTlsTools;
    "{0} {1}" -f (Get-Command Test-StartTls).Parameters.ContainsKey("ThrottleLimit"), (Get-Command Get-TlsCapability).Parameters.ContainsKey("ThrottleLimit")')
  note "Test-StartTls -ThrottleLimit: $HAS_THROTTLE; Get-TlsCapability -ThrottleLimit: $HAS_CAP_THROTTLE"
}

# The table: tool, targets, wall s, targets/s, how (measured or scaled), certificates seen.
ROWS=()
declare -A RATE=()
row() { # key label targets wall note
  local key=$1 label=$2 n=$3 wall=$4 how=$5
  if [[ $wall == n/a ]]; then ROWS+=("$key|$label|$n|n/a|n/a|$how"); return; fi
  RATE[$key]="$(calc "$n / $wall")"
  ROWS+=("$key|$label|$n|$(fmt "$wall")|$(fmt "${RATE[$key]}")|$how")
}
print_table() { # reference-key
  local ref=$1 r key label n wall rate how ratio
  printf '\n%-44s %8s %9s %10s %12s  %s\n' tool targets "wall s" targets/s "ours÷theirs" "how"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r key label n wall rate how <<<"$r"
    ratio=n/a
    [[ -n ${RATE[$ref]:-} && -n ${RATE[$key]:-} ]] && ratio="$(fmt "$(calc "${RATE[$ref]} / ${RATE[$key]}")")x"
    printf '%-44s %8s %9s %10s %12s  %s\n' "$label" "$n" "$wall" "$rate" "$ratio" "$how"
  done
}
# goal TEXT ref-key their-key ">=" N | "<=" N
goal() {
  local text=$1 ref=$2 key=$3 op=$4 want=$5 ratio verdict
  if [[ -z ${RATE[$ref]:-} || -z ${RATE[$key]:-} ]]; then printf '  %-48s n/a (not measured)\n' "$text"; return; fi
  ratio="$(calc "${RATE[$ref]} / ${RATE[$key]}")"
  if [[ $op == ">=" ]]; then (($(calc "$ratio >= $want"))) && verdict=met || verdict="NOT met"
  else (($(calc "$ratio <= $want"))) && verdict=met || verdict="NOT met"; fi
  printf '  %-48s %sx  %s\n' "$text" "$(fmt "$ratio")" "$verdict"
}

# ---------------------------------------------------------------------------------------------------------- memory
if [[ $MODE == memory ]]; then
  prepare_ours
  if [[ $HAS_THROTTLE != True ]]; then
    echo "memory: not available (Test-StartTls has no -ThrottleLimit on this build)"; exit 0
  fi
  # One front address per target at 0 ms: the per-host cap never queues, so this measures streaming, not waiting.
  start_relay "$MEM_TARGETS" 0 "$MEM_FRONT_BASE"
  { echo HostName,Port,Protocol; "$PY" "$RELAY" list --fronts "$MEM_TARGETS" --front-base "$MEM_FRONT_BASE" | sed 's/$/,25,Smtp/'; } >"$OUT/mem.csv"
  since="$(log_lines)"
  t0="$(now)"
  (cd "$ROOT" && /usr/bin/time -v -o "$OUT/mem.time" "${PWSH[@]}" -c "Import-Module ./out/StartTlsTools;
    Import-Csv '$OUT/mem.csv' | Test-StartTls -ThrottleLimit $THROTTLE -TimeoutSeconds 10 -WarningAction SilentlyContinue |
    Select-Object HostName, Status, TlsEstablished, CertificateThumbprint | Export-Csv '$OUT/mem-out.csv'") >/dev/null 2>"$OUT/mem.err" || true
  wall="$(calc "$(now) - $t0")"
  rss_kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/mem.time")"
  certs="$(grep -c ',"True","[0-9A-F]\{40\}"' "$OUT/mem-out.csv" || true)"
  read -r conns per_front backend < <(relay_report "$since")
  # dotnet tool run starts pwsh as a child; time -v reports the largest RSS of the process tree's members.
  printf '\nmemory: %s targets, %s s, %s targets/s, peak RSS %s MB (goal < 300 MB: %s), %s certificates, relay: %s connections, max %s per address, %s at once\n' \
    "$MEM_TARGETS" "$(fmt "$wall")" "$(fmt "$(calc "$MEM_TARGETS / $wall")")" "$((rss_kb / 1024))" \
    "$( ((rss_kb < 300 * 1024)) && echo met || echo 'NOT met')" "$certs" "$conns" "$per_front" "$backend"
  exit 0
fi

# ----------------------------------------------------------------------------------------------------------- speed
start_relay "$TARGETS" "$LATENCY_MS"
"$PY" "$RELAY" list --fronts "$TARGETS" --front-base "$FRONT_BASE" >"$OUT/targets.txt"
{ echo HostName,Port,Protocol; sed 's/$/,25,Smtp/' "$OUT/targets.txt"; } >"$OUT/targets.csv"
CAPS=()   # per-host cap lines for our runs

if part ours || part hostcap || part capability; then prepare_ours; fi

if part ours; then
  if [[ $HAS_THROTTLE == True ]]; then
    since="$(log_lines)"; t0="$(now)"
    (cd "$ROOT" && "${PWSH[@]}" -c "Import-Module ./out/StartTlsTools; Import-Csv '$OUT/targets.csv' |
      Test-StartTls -ThrottleLimit $THROTTLE -TimeoutSeconds 10 -WarningAction SilentlyContinue |
      Select-Object HostName, Status, TlsEstablished, CertificateThumbprint | Export-Csv '$OUT/ours.csv'") >/dev/null 2>"$OUT/ours.err" || true
    wall="$(calc "$(now) - $t0")"
    certs="$(grep -c ',"True","[0-9A-F]\{40\}"' "$OUT/ours.csv" || true)"
    row ours "ours: Test-StartTls -ThrottleLimit $THROTTLE" "$TARGETS" "$wall" "measured, $certs certificates"
    read -r conns per_front backend < <(relay_report "$since")
    CAPS+=("Test-StartTls -ThrottleLimit $THROTTLE: $conns connections, max $per_front at once per address (cap 4), max $backend at once in all")
  else
    row ours "ours: Test-StartTls -ThrottleLimit $THROTTLE" "$TARGETS" n/a "not available (no -ThrottleLimit on this build)"
    # What this build can do: one target after another, timed on the sample and scaled.
    head -n $((SERIAL_SAMPLE + 1)) "$OUT/targets.csv" >"$OUT/serial.csv"
    # Timed inside pwsh: scaling pwsh's start-up by TARGETS/SERIAL_SAMPLE would overstate the cost.
    since="$(log_lines)"
    wall="$(cd "$ROOT" && "${PWSH[@]}" -c "Import-Module ./out/StartTlsTools; \$clock = [Diagnostics.Stopwatch]::StartNew();
      Import-Csv '$OUT/serial.csv' | Test-StartTls -TimeoutSeconds 10 -WarningAction SilentlyContinue |
      Select-Object HostName, Status, TlsEstablished, CertificateThumbprint | Export-Csv '$OUT/ours-serial.csv';
      [string]\$clock.Elapsed.TotalSeconds" 2>"$OUT/ours.err" | tail -1)"
    certs="$(grep -c ',"True","[0-9A-F]\{40\}"' "$OUT/ours-serial.csv" || true)"
    row ours-serial "ours: Test-StartTls, serial (this build)" "$TARGETS" "$(calc "$wall * $TARGETS / $SERIAL_SAMPLE")" \
      "scaled from $SERIAL_SAMPLE in $(fmt "$wall") s (pwsh start-up excluded), $certs certificates"
    read -r conns per_front backend < <(relay_report "$since")
    CAPS+=("Test-StartTls (serial): $conns connections, max $per_front at once per address, max $backend at once in all")
  fi
fi

if part hostcap; then
  # One target per address never tests the per-address cap: here each of a few addresses comes many times at once.
  { echo HostName,Port,Protocol
    for ((i = 0; i < HOSTCAP_REPEAT; i++)); do head -n "$HOSTCAP_ADDRESSES" "$OUT/targets.txt" | sed 's/$/,25,Smtp/'; done; } >"$OUT/hostcap.csv"
  if [[ ${HAS_THROTTLE:-} == True ]]; then
    since="$(log_lines)"
    (cd "$ROOT" && "${PWSH[@]}" -c "Import-Module ./out/StartTlsTools; Import-Csv '$OUT/hostcap.csv' |
      Test-StartTls -ThrottleLimit $THROTTLE -TimeoutSeconds 10 -WarningAction SilentlyContinue |
      Select-Object HostName, Status, TlsEstablished, CertificateThumbprint | Export-Csv '$OUT/hostcap-out.csv'") >/dev/null 2>"$OUT/hostcap.err" || true
    certs="$(grep -c ',"True","[0-9A-F]\{40\}"' "$OUT/hostcap-out.csv" || true)"
    read -r conns per_front backend < <(relay_report "$since")
    CAPS+=("Test-StartTls -ThrottleLimit $THROTTLE, $HOSTCAP_ADDRESSES addresses x $HOSTCAP_REPEAT: $certs certificates, $conns connections, max $per_front at once per address (cap 4: $( ((per_front <= 4)) && echo held || echo EXCEEDED)), max $backend at once in all")
  else
    CAPS+=("per-host cap check: not available (no -ThrottleLimit on this build)")
  fi
fi

if part cli; then
  # The shipped form (native AOT if it builds, else ReadyToRun), as bench/capability.sh times it.
  bash "$HERE/build-cli.sh" "$OUT/cli" >"$OUT/cli-build.log" 2>&1 || note "CLI build failed: $OUT/cli-build.log"
  note "CLI $(tail -1 "$OUT/cli-build.log")"
  if [[ -x $OUT/cli/starttls ]] && "$OUT/cli/starttls" test --help 2>&1 | grep -q -- '--parallel'; then
    since="$(log_lines)"; t0="$(now)"
    "$OUT/cli/starttls" test --input "$OUT/targets.txt" --parallel "$THROTTLE" --json >"$OUT/cli.json" 2>"$OUT/cli.err" || true
    wall="$(calc "$(now) - $t0")"
    certs="$(grep -o '"CertificateThumbprint": *"[0-9A-F]\{40\}"' "$OUT/cli.json" | wc -l)"
    row cli "ours: starttls test --parallel $THROTTLE" "$TARGETS" "$wall" "measured, $certs certificates"
    read -r conns per_front backend < <(relay_report "$since")
    CAPS+=("starttls test --parallel $THROTTLE: $conns connections, max $per_front at once per address (cap 4), max $backend at once in all")
  else
    row cli "ours: starttls test --parallel $THROTTLE" "$TARGETS" n/a "not available (no --parallel on this build)"
  fi
fi

if part openssl; then
  ok=0; t0="$(now)"
  while read -r a; do
    timeout 20 openssl s_client -starttls smtp -connect "$a:25" </dev/null 2>/dev/null | grep -q 'BEGIN CERTIFICATE' && ok=$((ok + 1))
  done < <(head -n "$SERIAL_SAMPLE" "$OUT/targets.txt")
  wall="$(calc "$(now) - $t0")"
  row openssl "openssl s_client -starttls smtp, serial" "$TARGETS" "$(calc "$wall * $TARGETS / $SERIAL_SAMPLE")" \
    "scaled from $SERIAL_SAMPLE in $(fmt "$wall") s, $ok certificates"
fi

if part nmap; then
  if command -v nmap >/dev/null; then
    since="$(log_lines)"; t0="$(now)"
    nmap -Pn -n -p 25 --script ssl-cert -iL "$OUT/targets.txt" -oN "$OUT/nmap.txt" >/dev/null 2>&1 || true
    wall="$(calc "$(now) - $t0")"
    certs="$(grep -c 'ssl-cert: Subject: commonName=mail.lab.test' "$OUT/nmap.txt" || true)"
    read -r conns _ _ < <(relay_report "$since")
    row nmap "nmap --script ssl-cert (default parallelism)" "$TARGETS" "$wall" "measured, $certs certificates, $conns relayed connections"
  else
    row nmap "nmap --script ssl-cert" "$TARGETS" n/a "not available (nmap missing)"
  fi
fi

if part testssl; then
  if command -v testssl >/dev/null; then
    # The lightest run that still does STARTTLS and fetches the certificate: -S (server defaults). It still does
    # more than we do: TLS extensions, session tickets and IDs, resumption, clock skew, CRL/OCSP/CT/EV/CAA lines.
    head -n "$TESTSSL_TARGETS" "$OUT/targets.txt" | sed 's/^\(.*\)$/--starttls smtp -S --nodns none --warnings batch --color 0 \1:25/' >"$OUT/testssl.in"
    since="$(log_lines)"; t0="$(now)"
    NXCONNECT=127.0.0.1:0 testssl --file "$OUT/testssl.in" --mode parallel --nodns none --warnings batch --color 0 >"$OUT/testssl.txt" 2>&1 || true
    wall="$(calc "$(now) - $t0")"
    certs="$(grep -c 'Common Name (CN) *mail.lab.test' "$OUT/testssl.txt" || true)"
    read -r conns _ _ < <(relay_report "$since")
    row testssl "testssl.sh -S --mode parallel (MAX_PARALLEL ${MAX_PARALLEL:-20})" "$TARGETS" "$(calc "$wall * $TARGETS / $TESTSSL_TARGETS")" \
      "scaled from $TESTSSL_TARGETS in $(fmt "$wall") s, $certs certificates, $conns relayed connections"
  else
    row testssl "testssl.sh -S --mode parallel" "$TARGETS" n/a "not available (testssl.sh missing)"
  fi
fi

if part capability; then
  head -n "$CAP_TARGETS" "$OUT/targets.txt" >"$OUT/cap.txt"
  { echo HostName,Port,Protocol; sed 's/$/,25,Smtp/' "$OUT/cap.txt"; } >"$OUT/cap.csv"
  if [[ $HAS_CAP_THROTTLE == True ]]; then
    since="$(log_lines)"; t0="$(now)"
    (cd "$ROOT" && "${PWSH[@]}" -c "Import-Module ./out/StartTlsTools; Import-Csv '$OUT/cap.csv' |
      Get-TlsCapability -Summary -ThrottleLimit $CAP_TARGETS -TimeoutSeconds 10 -WarningAction SilentlyContinue |
      Select-Object HostName, Status, CipherSuitesAccepted, CertificateThumbprint | Export-Csv '$OUT/cap-ours.csv'") >/dev/null 2>"$OUT/cap-ours.err" || true
    wall="$(calc "$(now) - $t0")"
    done_n="$(grep -c ',"[1-9][0-9]*","[0-9A-F]\{40\}"' "$OUT/cap-ours.csv" || true)"
    row cap-ours "ours: Get-TlsCapability -ThrottleLimit $CAP_TARGETS" "$CAP_TARGETS" "$wall" "measured, $done_n enumerations with a certificate"
    read -r conns per_front backend < <(relay_report "$since")
    CAPS+=("Get-TlsCapability -ThrottleLimit $CAP_TARGETS: $conns connections, max $per_front at once per address (cap 4), max $backend at once in all")
  else
    row cap-ours "ours: Get-TlsCapability -ThrottleLimit $CAP_TARGETS" "$CAP_TARGETS" n/a "not available (no -ThrottleLimit on this build)"
  fi
  if command -v nmap >/dev/null; then
    since="$(log_lines)"; t0="$(now)"
    nmap -Pn -n -p 25 --script ssl-enum-ciphers -iL "$OUT/cap.txt" -oN "$OUT/nmap-enum.txt" >/dev/null 2>&1 || true
    wall="$(calc "$(now) - $t0")"
    done_n="$(grep -c 'least strength' "$OUT/nmap-enum.txt" || true)"
    read -r conns _ _ < <(relay_report "$since")
    row cap-nmap "nmap --script ssl-enum-ciphers" "$CAP_TARGETS" "$wall" "measured, $done_n enumerations, $conns relayed connections"
  else
    row cap-nmap "nmap --script ssl-enum-ciphers" "$CAP_TARGETS" n/a "not available (nmap missing)"
  fi
  if command -v sslscan >/dev/null; then
    # sslscan --targets scans one target after another: timed on SSLSCAN_SAMPLE of them and scaled.
    head -n "$SSLSCAN_SAMPLE" "$OUT/cap.txt" | sed 's/$/:25/' >"$OUT/sslscan.in"
    since="$(log_lines)"; t0="$(now)"
    sslscan --no-colour --starttls-smtp --targets="$OUT/sslscan.in" >"$OUT/sslscan.txt" 2>&1 || true
    wall="$(calc "$(now) - $t0")"
    done_n="$(grep -c 'Subject: *mail.lab.test' "$OUT/sslscan.txt" || true)"
    read -r conns _ _ < <(relay_report "$since")
    row cap-sslscan "sslscan --targets (serial)" "$CAP_TARGETS" "$(calc "$wall * $CAP_TARGETS / $SSLSCAN_SAMPLE")" \
      "scaled from $SSLSCAN_SAMPLE in $(fmt "$wall") s, $done_n certificates, $conns relayed connections"
  else
    row cap-sslscan "sslscan --targets" "$CAP_TARGETS" n/a "not available (sslscan missing)"
  fi
fi
stop_relay

REF=ours; [[ -n ${RATE[ours]:-} ]] || REF=none
printf '\nFleet benchmark: %s targets behind latency-relay at %s ms each way (connect: one extra round trip); load average before: %s\n' \
  "$TARGETS" "$LATENCY_MS" "$LOAD_BEFORE"
CAP_ROWS=("${ROWS[@]}"); ROWS=(); for r in "${CAP_ROWS[@]}"; do [[ $r == cap-* ]] || ROWS+=("$r"); done
print_table "$REF"
printf '\nGoals (ours = Test-StartTls -ThrottleLimit %s):\n' "$THROTTLE"
goal "ours >= 40x the serial openssl loop" ours openssl ">=" 40
goal "ours >= 2x nmap ssl-cert" ours nmap ">=" 2
goal "ours >= 2x testssl.sh" ours testssl ">=" 2
if part capability; then
  ROWS=(); for r in "${CAP_ROWS[@]}"; do [[ $r == cap-* ]] && ROWS+=("$r"); done
  printf '\nCapability (full enumeration), %s targets; the wall time ratio ours/theirs is the inverse of the column:\n' "$CAP_TARGETS"
  print_table cap-ours
  goal "ours' wall time <= 0.5x nmap ssl-enum-ciphers (rate >= 2x)" cap-ours cap-nmap ">=" 2
  goal "ours' wall time <= 0.5x sslscan (rate >= 2x)" cap-ours cap-sslscan ">=" 2
fi
if ((${#CAPS[@]})); then printf '\nPer-host cap, from the relay log:\n'; printf '  %s\n' "${CAPS[@]}"; fi

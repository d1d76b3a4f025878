#!/usr/bin/env bash
# Full TLS enumeration of the lab's legacy Postfix (TLS 1.0-1.3, @SECLEVEL=0), STARTTLS SMTP and implicit TLS,
# by `starttls capability` (as shipped: bench/build-cli.sh), sslscan and testssl.sh, side by side in one run.
# Reports wall time (median of RUNS runs, default 5; testssl.sh once, it takes ~40 s) and the TCP connections each tool
# opened, counted the same way for all: Postfix's "connect from" log lines for the listener.
#
#   STARTTLS_LAB_DIR=/tmp/lab-x STARTTLS_LAB_PORT_OFFSET=N bash bench/capability.sh   (as root, like tests/lab/up.sh)
#
# Nothing leaves the machine: testssl.sh gets NXCONNECT=127.0.0.1:0 and --nodns none (see /work/shared/lab-notes.md).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
STATE="$(realpath -m "${STARTTLS_LAB_DIR:-/tmp/starttlstools-lab}")"
RUNS="${RUNS:-5}"

port_answers() { timeout 1 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null; }
env_value() { sed -n "s/^$1=//p" "$STATE/lab.env"; }

if [[ ! -s $STATE/lab.env ]] || ! port_answers "$(env_value LAB_LEGACY_SMTP_PORT)"; then
  bash "$ROOT/tests/lab/up.sh" >&2
fi
STARTTLS_PORT="$(env_value LAB_LEGACY_SMTP_PORT)"
IMPLICIT_PORT="$(env_value LAB_LEGACY_SMTPS_PORT)"
LOG="$STATE/legacy-postfix/postfix.log"

# The peer tools come from Debian; install them on a fresh machine.
command -v sslscan >/dev/null && command -v testssl >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends sslscan testssl.sh >/dev/null ||
  { echo "bench needs sslscan and testssl.sh (apt-get install sslscan testssl.sh)" >&2; exit 1; }

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
# The shipped form (bench/build-cli.sh: native AOT if it builds, else ReadyToRun), so start-up is what users get.
"$HERE/build-cli.sh" "$OUT/cli" >"$OUT/build.out" 2>&1 || { cat "$OUT/build.out" "$OUT/cli/build.log" >&2 2>/dev/null; exit 1; }
echo "starttls built as: $(sed -n 's/^form: \([a-z0-9]*\).*/\1/p' "$OUT/build.out")" >&2
CLI="$OUT/cli/starttls"

# "connect from" lines of one listener (syslog_name postfix/legacy-PORT or postfix/legacys-PORT).
connects() { grep -c "postfix/$1-$2/smtpd\[[0-9]*\]: connect from" "$LOG" || true; }

# measure NAME LISTENER PORT CMD... -> "seconds connections" (one run)
measure() {
  local listener=$1 port=$2; shift 2
  sleep 1  # let Postfix log the previous run's last connections
  local before after t0 t1
  before="$(connects "$listener" "$port")"
  t0="$(date +%s.%N)"
  "$@" >"$OUT/last.out" 2>&1 || true
  t1="$(date +%s.%N)"
  sleep 1
  after="$(connects "$listener" "$port")"
  echo "$(echo "$t1 - $t0" | bc -l) $((after - before))"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

run_tool() { # label listener port runs cmd...
  local label=$1 listener=$2 port=$3 runs=$4; shift 4
  local times=() conns=0 i r
  for ((i = 0; i < runs; i++)); do
    r="$(measure "$listener" "$port" "$@")"
    times+=("${r% *}"); conns="${r#* }"
  done
  printf '%s %s %s\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" "$conns"
}

results=()
for mode in starttls implicit; do
  if [[ $mode == starttls ]]; then
    port=$STARTTLS_PORT; listener=legacy
    ours=("$CLI" capability 127.0.0.1 --port "$port" --ehlo-name bench.lab.test --json)
    scan=(sslscan --no-colour --starttls-smtp "127.0.0.1:$port")
    tssl=(env NXCONNECT=127.0.0.1:0 testssl --nodns none --warnings batch --color 0 -p -e --starttls smtp "127.0.0.1:$port")
  else
    port=$IMPLICIT_PORT; listener=legacys
    ours=("$CLI" capability 127.0.0.1 --port "$port" --implicit-tls --json)
    scan=(sslscan --no-colour "127.0.0.1:$port")
    tssl=(env NXCONNECT=127.0.0.1:0 testssl --nodns none --warnings batch --color 0 -p -e "127.0.0.1:$port")
  fi
  "${ours[@]}" >/dev/null  # warm the file cache once; not measured
  results+=("$mode $(run_tool starttls-capability "$listener" "$port" "$RUNS" "${ours[@]}")")
  results+=("$mode $(run_tool sslscan "$listener" "$port" "$RUNS" "${scan[@]}")")
  results+=("$mode $(run_tool testssl.sh "$listener" "$port" 1 "${tssl[@]}")")
  "$CLI" capability 127.0.0.1 --port "$port" $([[ $mode == implicit ]] && echo --implicit-tls) --summary --json >"$OUT/$mode.json" || true
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); s=d[-1]; print('  (' + sys.argv[2] + ') starttls capability found', s['CipherSuitesAccepted'], 'suites over', s['VersionsAccepted'], '; self-reported connections', s['ConnectionsOpened'])" "$OUT/$mode.json" "$mode" >&2
done

printf '\n| mode | tool | wall s (median) | TCP connections | our time / tool time |\n|---|---|---|---|---|\n'
for mode in starttls implicit; do
  ourtime="$(printf '%s\n' "${results[@]}" | awk -v m="$mode" '$1==m && $2=="starttls-capability" {print $3}')"
  printf '%s\n' "${results[@]}" | awk -v m="$mode" -v o="$ourtime" '$1==m {printf "| %s | %s | %.2f | %s | %s |\n", $1, $2, $3, $4, ($2=="starttls-capability") ? "1" : sprintf("%.3f", o/$3)}'
done

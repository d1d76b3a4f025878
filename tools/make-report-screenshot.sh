#!/usr/bin/env bash
# Regenerates docs/images/lab-report.png, the README's picture of an HTML report: real results from the lab
# (tests/lab, started here if it is not answering) written with `starttls ... --json`, turned into a report with
# `starttls report`, and photographed by Debian's headless Chromium at 1280x800.
#
#   STARTTLS_LAB_DIR=/tmp/lab-x STARTTLS_LAB_PORT_OFFSET=N bash tools/make-report-screenshot.sh   (as root, like up.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$(realpath -m "${STARTTLS_LAB_DIR:-/tmp/starttlstools-lab}")"
IMAGE="$ROOT/docs/images/lab-report.png"

port_answers() { timeout 1 bash -c ": </dev/tcp/127.0.0.1/$1" 2>/dev/null; }
env_value() { sed -n "s/^$1=//p" "$STATE/lab.env"; }
if [[ ! -s $STATE/lab.env ]] || ! port_answers "$(env_value LAB_SMTP_PORT)"; then
  bash "$ROOT/tests/lab/up.sh" >&2
fi
[[ -x /usr/bin/chromium ]] || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium >/dev/null

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
dotnet build "$ROOT/src/StartTlsTools.Cli" -c Release -o "$WORK/cli" -v quiet -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
starttls() { dotnet "$WORK/cli/starttls.dll" "$@"; }

CA="$(env_value LAB_CA)"
lab() { env_value "LAB_$1_PORT"; }
cd "$WORK"
# A small fleet: healthy servers, one without STARTTLS, one with a certificate the client does not trust, a legacy
# server scanned in full, an injection probe and an implicit-vs-STARTTLS comparison. Exit codes 1 (not healthy) are expected.
{
  starttls test localhost --port "$(lab SMTP)" --ehlo-name client.lab.test --trusted-root "$CA" --json || true
  starttls test localhost --port "$(lab SMTP_PLAIN)" --ehlo-name client.lab.test --json || true
  starttls test localhost -p imap --port "$(lab IMAP)" --trusted-root "$CA" --json || true
  starttls test localhost -p pop3 --port "$(lab POP3)" --trusted-root "$CA" --json || true
  starttls test localhost -p submission --port "$(lab SUBMISSION)" --ehlo-name client.lab.test --json || true
  starttls test localhost -p ldap --port "$(lab LDAP)" --trusted-root "$CA" --json || true
  starttls test localhost --port "$(lab LEGACY_SMTP)" --ehlo-name client.lab.test --trusted-root "$CA" --json || true
  starttls capability localhost --port "$(lab LEGACY_SMTP)" --ehlo-name client.lab.test --summary --json || true
  starttls injection localhost --port "$(lab SMTP)" --wait 1 --ehlo-name client.lab.test --trusted-root "$CA" --json || true
  starttls compare localhost --protocol submission --starttls-port "$(lab SUBMISSION)" --implicit-port "$(lab SMTPS)" --samples 1 --trusted-root "$CA" --json || true
} >lab-results.json
starttls report --input lab-results.json --output lab-report.html --title "StartTlsTools lab report"

args=(--headless --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run
      --user-data-dir="$WORK/profile" --window-size=1280,800 --hide-scrollbars --screenshot="$WORK/shot.png")
[[ $(id -u) -eq 0 ]] && args=(--no-sandbox "${args[@]}")
timeout 120 /usr/bin/chromium "${args[@]}" "file://$WORK/lab-report.html" >/dev/null 2>&1
mkdir -p "$(dirname "$IMAGE")"
cp "$WORK/shot.png" "$IMAGE"
echo "$IMAGE: $(stat -c %s "$IMAGE") bytes"

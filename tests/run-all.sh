#!/usr/bin/env bash
# The project's whole test command: starts the real-server lab, builds, runs xunit and (where pwsh and
# Pester exist) Pester, and ends with one line "N passed, N failed" over both.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
results="$repo/out/test-results"
mkdir -p "$results"

echo "== Lab: real Postfix and Dovecot on 127.0.0.1"
bash tests/lab/up.sh
if [ "${KEEP_LAB:-0}" != "1" ]; then trap 'bash "$repo/tests/lab/down.sh" >/dev/null 2>&1 || true' EXIT; fi

echo "== Chromium for the HTML report's browser test (Debian's package; the test fails without it)"
if [ ! -x /usr/bin/chromium ]; then
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium >/dev/null ||
    { apt-get -o DPkg::Lock::Timeout=600 update -q && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium >/dev/null; } ||
    echo "chromium did not install; ReportBrowserTests will fail and say so." >&2
fi

echo "== Build"
dotnet build StartTlsTools.sln -c Debug -nologo -clp:ErrorsOnly

echo "== xunit"
xunit_log="$results/xunit.log"
trx="$results/xunit.trx"
rm -f "$trx"
set +e
dotnet test tests/StartTlsTools.Tests --no-build -c Debug -nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=$trx" 2>&1 | tee "$xunit_log"
xunit_exit=${PIPESTATUS[0]}
set -e
# The counts come from the TRX file's <Counters>: the console summary's wording changes with verbosity.
counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -n 1 || true)
if [ -z "$counters" ]; then
  echo "xunit wrote no results (exit $xunit_exit): the build or the test host failed." >&2
  passed=0; failed=1
else
  passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  failed=0
  for outcome in failed error timeout aborted; do
    failed=$((failed + $(sed -E "s/.* $outcome=\"([0-9]+)\".*/\\1/" <<<"$counters")))
  done
fi
if [ "$xunit_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "== Pester"
if command -v pwsh >/dev/null 2>&1 && pwsh -NoProfile -Command 'if (Get-Module -ListAvailable Pester | Where-Object Version -ge 5.0) { exit 0 } else { exit 1 }'; then
  # Compiled help is always tested: the Docs task installs PlatyPS when it is missing, or fails.
  pwsh -NoProfile -File ./build.ps1 -Task Docs
  set +e
  pester_out=$(pwsh -NoProfile -Command '
    $c = New-PesterConfiguration
    $c.Run.Path = "tests/Pester"
    $c.Run.PassThru = $true
    $c.Output.Verbosity = "Detailed"
    $r = Invoke-Pester -Configuration $c
    "PESTER-COUNTS $($r.PassedCount) $($r.FailedCount)"' 2>&1)
  set -e
  echo "$pester_out"
  counts=$(grep -E '^PESTER-COUNTS ' <<<"$pester_out" | tail -n 1 || true)
  if [ -n "$counts" ]; then
    passed=$((passed + $(awk '{print $2}' <<<"$counts")))
    failed=$((failed + $(awk '{print $3}' <<<"$counts")))
  else
    echo "Pester did not report its counts." >&2
    failed=$((failed + 1))
  fi
else
  echo "Pester skipped: pwsh with Pester 5 is not installed on this machine (tests/Pester runs wherever it is)."
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

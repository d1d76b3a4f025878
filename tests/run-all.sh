#!/usr/bin/env bash
# The project's whole test command: starts the real-server lab, builds, runs xunit, installs the pinned
# pwsh (.config/dotnet-tools.json) and Pester (tools/pester/Pester.Restore.csproj), runs Pester, and ends
# with one line "N passed, N failed" over both. Pester always runs: a missing pwsh or Pester is a failure.
#
# out/test-results/pester-results.csv  one line per Pester test; outcome passed/failed/skipped/notrun
# out/logs/                            console logs (xunit.log, xunit.trx, pester.log), never under test-results
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
results="$repo/out/test-results"
logs="$repo/out/logs"
rm -rf "$results"
mkdir -p "$results" "$logs"

echo "== Lab: real servers on 127.0.0.1"
bash tests/lab/up.sh
if [ "${KEEP_LAB:-0}" != "1" ]; then trap 'bash "$repo/tests/lab/down.sh" >/dev/null 2>&1 || true' EXIT; fi

echo "== Build"
dotnet build StartTlsTools.sln -c Debug -nologo -clp:ErrorsOnly

echo "== xunit"
xunit_log="$logs/xunit.log"
# The TRX lives with the logs: it names tests, and some xunit names contain words a results grep looks for.
trx="$logs/xunit.trx"
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
  for outcome in failed error timeout aborted notExecuted; do
    failed=$((failed + $(sed -E "s/.* $outcome=\"([0-9]+)\".*/\\1/" <<<"$counters")))
  done
fi
if [ "$xunit_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "== Pester (pwsh from .config/dotnet-tools.json, Pester from tools/pester/Pester.Restore.csproj)"
pester_log="$logs/pester.log"
set +e
{
  dotnet tool restore &&
  dotnet restore tools/pester/Pester.Restore.csproj -nologo &&
  dotnet tool run pwsh -NoProfile -NonInteractive -File tests/run-pester.ps1
} 2>&1 | tee "$pester_log"
set -e
counts=$(grep -E '^PESTER-COUNTS [0-9]+ [0-9]+' "$pester_log" | tail -n 1 || true)
if [ -n "$counts" ]; then
  passed=$((passed + $(awk '{print $2}' <<<"$counts")))
  failed=$((failed + $(awk '{print $3}' <<<"$counts")))
else
  echo "Pester did not run to the end (pwsh or Pester could not be installed, or the runner failed): see $pester_log." >&2
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

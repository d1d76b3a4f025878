#!/usr/bin/env bash
# The HTML report at fleet size: builds a 1,000-target report in-process (Release), from the result objects and
# from their NDJSON through starttls report's reader, and prints size and time. Two fleets: one Test-StartTls
# result per target (the size goal, under 2 MB, is for this), and the same with every tenth target also scanned
# by Get-TlsCapability and probed for injection. Usage: bench/report.sh [RUNS] (default 5; median, first run left out).
# The pages are kept in out/bench-report/ for a look. No network, no lab.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-5}"
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }
mkdir -p out/bench-report

dotnet build tests/StartTlsTools.Tests -c Release -v quiet -nologo >/dev/null
STARTTLS_REPORT_BENCH_RUNS="$runs" STARTTLS_REPORT_BENCH_OUT="$(pwd)/out/bench-report" \
  dotnet test tests/StartTlsTools.Tests -c Release --no-build --filter "FullyQualifiedName~ReportBenchTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E 'report bench|Failed |bytes for' | sed 's/^ *//' || true
ls -l out/bench-report/*.html | awk '{print $5, $9}'

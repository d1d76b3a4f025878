#!/usr/bin/env bash
# Long fuzz run over every parser that reads server bytes: the same harness and fixed seed as the
# test suite (tests/StartTlsTools.Tests/Fuzz), with more cases. Usage: bench/fuzz.sh [CASES_PER_PARSER]
# (default 1000000). Prints one summary line per parser; a failure prints the case number to replay.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cases="${1:-1000000}"
[[ $cases =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [CASES_PER_PARSER]" >&2; exit 2; }

dotnet build tests/StartTlsTools.Tests -c Release -v quiet -nologo >/dev/null
start=$SECONDS
STARTTLS_FUZZ_CASES="$cases" dotnet test tests/StartTlsTools.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Fuzz" --logger "console;verbosity=detailed" 2>&1 |
  grep -E ' seed [0-9]+: |Heap growth|Failed |threw |Replay:|^(Passed|Failed)!' || true
echo "fuzz: $cases cases per parser in $((SECONDS - start)) s"

#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed[, N skipped]".
# Extra arguments go to 'dotnet test' (e.g. --filter "FullyQualifiedName~ServiceBus").
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
dotnet build OrderIntegration.sln --nologo --verbosity quiet 2>&1 | tee "$log" | grep -E 'error|Build FAILED' || true
if grep -qE 'Build FAILED| error ' "$log"; then
  echo "The build failed; no test ran."
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test OrderIntegration.sln --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -E '^(Passed|Failed)!' "$log" | grep -oE "$1: +[0-9]+" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failed test: a test host crashed or aborted; counted as a failure."
  failed=1
fi
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]

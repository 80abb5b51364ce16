#!/usr/bin/env bash
# Sets up and runs the main job on the embedded default (no Azure, no Docker).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/setup.sh
dotnet run --project tools/Cli --verbosity quiet -- run --once "$@"

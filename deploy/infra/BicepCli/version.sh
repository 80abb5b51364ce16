#!/usr/bin/env bash
# Prints the Bicep CLI version pinned in BicepCli.csproj (its one pin), for tools/setup.sh and the release's
# .github/scripts/deploy-infrastructure.sh; prints nothing when no version is pinned.
set -euo pipefail
sed -n 's/.*"Azure.Bicep.CommandLine.linux-x64" Version="\[\([0-9.]*\)\]".*/\1/p' "$(dirname "$0")/BicepCli.csproj"

#!/usr/bin/env bash
# Installs what the project needs on a fresh machine of this kind: Node.js and npm and Chromium (Debian packages, when
# missing), the Node tools (Azurite, ajv, action-validator, playwright-core) from npm, the NuGet packages and the Bicep
# CLI. Safe to run again: it only installs what is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (dotnet) is required but not on PATH." >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing Node.js and npm (Debian packages)..." >&2
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if ! command -v chromium >/dev/null 2>&1; then
  # The simulation report is checked in headless Chromium (Debian's package; playwright-core drives it, no download).
  echo "setup: installing Chromium (Debian package) ..." >&2
  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)) \
    || echo "setup: Chromium could not be installed; the report rendering test will fail." >&2
fi
if [ ! -d tools/node/node_modules/azurite ] || [ ! -d tools/node/node_modules/ajv ] || [ ! -d tools/node/node_modules/@action-validator/cli ] \
   || [ ! -d tools/node/node_modules/playwright-core ]; then
  echo "setup: installing Node tools (azurite, ajv, action-validator, playwright-core) into tools/node ..." >&2
  (cd tools/node && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
echo "setup: restoring NuGet packages ..." >&2
dotnet restore OrderIntegration.sln --verbosity quiet >/dev/null
# The Bicep CLI for the infrastructure tests: a self-contained binary from NuGet (restore-only project). The package
# does not always keep the execute bit, so set it.
bicep_version="$(bash deploy/infra/BicepCli/version.sh)"
bicep="${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/${bicep_version:?deploy/infra/BicepCli/BicepCli.csproj pins no Bicep CLI version}/tools/bicep"
if [ ! -x "$bicep" ]; then
  echo "setup: restoring the Bicep CLI (NuGet Azure.Bicep.CommandLine.linux-x64) ..." >&2
  dotnet restore deploy/infra/BicepCli/BicepCli.csproj --verbosity quiet >/dev/null
  chmod +x "$bicep"
fi

#!/usr/bin/env bash
# Usage: deploy-infrastructure.sh what-if|create
# Deploys the infrastructure as code to $RESOURCE_GROUP: the IaC entry point with the environment's committed parameters
# file (deploy/infra/<environment>.parameters.json: non-secret values, as deploy/infra/example.parameters.json shows).
# Secure values (SAP logon, Twilio) come from environment variables the workflow fills from GitHub environment secrets;
# they go to ARM through a parameters file readable only by this user, never on a command line or in the log.
# 'create' writes the deployment's outputs (logicAppName, ...) to $GITHUB_OUTPUT.
set -euo pipefail
mode="${1:?usage: deploy-infrastructure.sh what-if|create}"
: "${RESOURCE_GROUP:?set AZURE_RESOURCE_GROUP for the environment}" "${ENVIRONMENT_NAME:?}"
: "${DEPLOYMENT_NAME:=orders-$ENVIRONMENT_NAME}"
# The IaC entry point, as preflight reads it (az compiles the Bicep with its own Bicep CLI).
: "${TEMPLATE_FILE:=deploy/infra/main.bicep}"
if [ ! -f "$TEMPLATE_FILE" ]; then
  echo "deploy-infrastructure.sh: $TEMPLATE_FILE does not exist" >&2
  exit 2
fi
# The environment's non-secret values (owner, cost centre, object and client ids): the template requires them.
: "${PARAMETERS_FILE:=deploy/infra/$ENVIRONMENT_NAME.parameters.json}"
if [ ! -f "$PARAMETERS_FILE" ]; then
  echo "deploy-infrastructure.sh: $PARAMETERS_FILE does not exist: copy deploy/infra/example.parameters.json to it, set the $ENVIRONMENT_NAME environment's values (no secrets) and commit it (docs/ci-cd.md, \"Parameters per environment\")" >&2
  exit 2
fi
echo "deploying $TEMPLATE_FILE to $RESOURCE_GROUP ($mode) with $PARAMETERS_FILE"

# az compiles the Bicep with a Bicep CLI of its own; take the version the tests and preflight compile with (its one pin:
# deploy/infra/BicepCli/BicepCli.csproj), since bicepconfig.json makes every linter rule an error and a newer Bicep may
# bring new rules.
bicep_version="$(bash deploy/infra/BicepCli/version.sh)"
if [ -n "$bicep_version" ]; then
  az bicep install --version "v$bicep_version" --only-show-errors
fi

secure="$(mktemp)"
chmod 600 "$secure"
trap 'rm -f "$secure"' EXIT
# jq reads the secrets from the environment, so they never appear in a command's arguments.
jq -n '{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  contentVersion: "1.0.0.0",
  parameters: (
    {environmentName: {value: env.ENVIRONMENT_NAME}}
    + (if (env.SAP_USER_NAME // "") != "" then {sapUserName: {value: env.SAP_USER_NAME}} else {} end)
    + (if (env.SAP_PASSWORD // "") != "" then {sapPassword: {value: env.SAP_PASSWORD}} else {} end)
    + (if (env.TWILIO_ACCOUNT_SID // "") != "" then {twilioAccountSid: {value: env.TWILIO_ACCOUNT_SID}} else {} end)
    + (if (env.TWILIO_AUTH_TOKEN // "") != "" then {twilioAuthToken: {value: env.TWILIO_AUTH_TOKEN}} else {} end)
    + (if (env.SAP_CONNECTION // "") != "" then {sapConnection: {value: (env.SAP_CONNECTION | fromjson)}} else {} end)
  )
}' > "$secure"

# The secure file comes last: its values win.
parameters=(--parameters "@$PARAMETERS_FILE" --parameters "@$secure")

case "$mode" in
  what-if)
    az deployment group what-if --resource-group "$RESOURCE_GROUP" --name "$DEPLOYMENT_NAME" \
      --template-file "$TEMPLATE_FILE" "${parameters[@]}" --only-show-errors
    ;;
  create)
    outputs="$(az deployment group create --resource-group "$RESOURCE_GROUP" --name "$DEPLOYMENT_NAME" \
      --template-file "$TEMPLATE_FILE" "${parameters[@]}" --only-show-errors --query properties.outputs --output json)"
    jq -r 'to_entries[] | "\(.key)=\(.value.value)"' <<<"$outputs" | tee -a "${GITHUB_OUTPUT:-/dev/null}"
    ;;
  *)
    echo "deploy-infrastructure.sh: unknown mode '$mode' (what-if or create)" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Smoke test of a deployed environment: posts one sample order to the intake (its callback URL from
# listCallbackUrl) and waits until each subscriber workflow has a Succeeded run for the order's correlation id (the
# run history API, filtered on the client tracking id the workflows set from it); fails the job otherwise.
# Needs: az logged in (OIDC), RESOURCE_GROUP, LOGIC_APP, SMOKE_PHONE (the SMS goes there), INTAKE_AUDIENCE (the intake
# API's Application ID URI: the intake takes Microsoft Entra tokens only, its SAS is off, so the order is posted with a
# token of the release identity, which the environment lets in: smokeTestCallerClientId/ObjectId, docs/ci-cd.md);
# optional SMOKE_TIMEOUT_SECONDS (default 900).
set -euo pipefail
: "${RESOURCE_GROUP:?}" "${LOGIC_APP:?}" "${SMOKE_PHONE:?set the SMOKE_PHONE variable of the environment (the smoke order texts it)}"
: "${INTAKE_AUDIENCE:?set the INTAKE_AUDIENCE variable of the environment (the intake takes Microsoft Entra tokens only) and let the release identity in (smokeTestCallerClientId/ObjectId in its parameters file), or set SMOKE_TEST=off}"
timeout="${SMOKE_TIMEOUT_SECONDS:-900}"
source "$(dirname "$0")/lib/callback-url.sh"

intake_workflow="OrderIntake"
intake_trigger="When_an_order_event_is_posted"
subscribers=(SapFulfillment SmsNotification WarehouseInventory LakeArchive)
sample="Artifacts/Samples/valid/OrderCreated.standard.json"

subscription="$(az account show --query id --output tsv)"
# Standard logic apps expose the workflow management API under the site's host runtime.
workflows="https://management.azure.com/subscriptions/$subscription/resourceGroups/$RESOURCE_GROUP/providers/Microsoft.Web/sites/$LOGIC_APP/hostruntime/runtime/webhooks/workflow/api/management/workflows"
api_version="2018-11-01"

run_tag="${GITHUB_RUN_ID:-local}-${GITHUB_RUN_ATTEMPT:-1}-$(date +%s)"
correlation_id="smoke-$run_tag"
order_id="smoke-$run_tag"

# The host restarts after the zip deploy: its management API may not answer for a few minutes.
callback=""
az_errors="$(mktemp)"
for attempt in $(seq 1 20); do
  if callback="$(az rest --method post --uri "$workflows/$intake_workflow/triggers/$intake_trigger/listCallbackUrl" \
    --uri-parameters "api-version=$api_version" --query value --output tsv 2>"$az_errors")" && [ -n "$callback" ]; then
    break
  fi
  if [ "$attempt" -eq 20 ]; then
    echo "::error::listCallbackUrl of $intake_workflow/$intake_trigger did not answer within 5 minutes of the zip deploy: $(head -c 2000 "$az_errors")"
    exit 1
  fi
  echo "the intake's callback URL is not available yet (attempt $attempt of 20); retrying in 15 s"
  sleep 15
done
echo "::add-mask::$callback"   # the URL carries the SAS signature
intake_url="$(without_sas "$callback")"

body="$(jq --arg message "order-$order_id-created-v1" --arg correlation "$correlation_id" --arg order "$order_id" --arg phone "$SMOKE_PHONE" \
  '.messageId = $message | .correlationId = $correlation | .data.orderId = $order | .data.customer.phone = $phone | .data.customer.smsOptIn = true' "$sample")"
token="$(az account get-access-token --resource "$INTAKE_AUDIENCE" --query accessToken --output tsv)"
echo "::add-mask::$token"
headers=(-H "Content-Type: application/json" -H "x-correlation-id: $correlation_id" -H "Authorization: Bearer $token")

response="$(mktemp)"
status="$(curl --silent --show-error --output "$response" --write-out '%{http_code}' --request POST "${headers[@]}" --data "$body" "$intake_url")"
if [ "$status" != "202" ]; then
  echo "::error::the intake answered $status instead of 202 for order $order_id: $(head -c 2000 "$response")"
  exit 1
fi
echo "posted order $order_id (correlation id $correlation_id): 202 Accepted"

deadline=$(( $(date +%s) + timeout ))
while true; do
  pending=()
  for workflow in "${subscribers[@]}"; do
    runs="$(az rest --method get --uri "$workflows/$workflow/runs" \
      --uri-parameters "api-version=$api_version" "\$filter=ClientTrackingId eq '$correlation_id'" --output json)"
    statuses="$(jq -r '[.value[]?.properties.status] | if length == 0 then "no run yet" else join(",") end' <<<"$runs")"
    if ! jq -e '[.value[]?.properties.status] | index("Succeeded")' <<<"$runs" >/dev/null; then
      pending+=("$workflow: $statuses")
    fi
  done
  if [ "${#pending[@]}" -eq 0 ]; then
    echo "smoke test passed: ${subscribers[*]} each have a Succeeded run for $correlation_id"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    printf '::error::no Succeeded run within %ss for %s: %s\n' "$timeout" "$correlation_id" "$(IFS='; '; echo "${pending[*]}")"
    exit 1
  fi
  echo "waiting for: ${pending[*]}"
  sleep 15
done

# Sourced by smoke-test.sh. A workflow's callback URL (listCallbackUrl) carries a SAS: the query parameters sp, sv and
# sig. Learn, "Secure access and data in Azure Logic Apps", section "Access for inbound calls to request-based
# triggers": inbound calls "can use only one authorization scheme, either SAS or OAuth with Microsoft Entra ID ... using
# both schemes at the same time causes an error". A call that sends a token drops them.
without_sas() {
  local url="$1" base query part kept=()
  case "$url" in *\?*) ;; *) printf '%s\n' "$url"; return ;; esac
  base="${url%%\?*}"
  query="${url#*\?}"
  IFS='&' read -ra parts <<<"$query"
  for part in "${parts[@]}"; do
    case "${part%%=*}" in sp | sv | sig) ;; *) kept+=("$part") ;; esac
  done
  if [ "${#kept[@]}" -eq 0 ]; then
    printf '%s\n' "$base"
  else
    local IFS='&'
    printf '%s?%s\n' "$base" "${kept[*]}"
  fi
}

#!/bin/sh
# Registers the agreement search attributes (spec §7) on a namespace of a self-hosted Temporal cluster:
#
#   TEMPORAL_ADDRESS=temporal.example:7233 TEMPORAL_NAMESPACE=default sh deploy/temporal/register-search-attributes.sh
#
# The names and types must equal `searchAttributeCliTypes` in src/wire/search-attributes.ts, the one source of truth
# (test/local/stack/compose.test.ts checks it). Idempotent: an attribute already registered is left as it is.
# On Temporal Cloud use `tcld namespace search-attributes add` or the Cloud UI instead (docs/operations.md).
set -eu

NAMESPACE="${TEMPORAL_NAMESPACE:-default}"

# A namespace created a moment ago takes a few seconds to reach every frontend's namespace cache.
attempt=0
until temporal operator search-attribute list --namespace "${NAMESPACE}" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "${attempt}" -ge 30 ]; then
    echo "Cannot list the search attributes of namespace ${NAMESPACE} at ${TEMPORAL_ADDRESS:-localhost:7233}" >&2
    temporal operator search-attribute list --namespace "${NAMESPACE}" >/dev/null
    exit 1
  fi
  sleep 2
done

register() {
  name="$1"
  type="$2"
  if temporal operator search-attribute list --namespace "${NAMESPACE}" | grep -qw "${name}"; then
    echo "Search attribute ${name} is registered."
  else
    temporal operator search-attribute create --namespace "${NAMESPACE}" --name "${name}" --type "${type}"
    echo "Search attribute ${name} (${type}) registered."
  fi
}

register AgreementStage Keyword
register AgreementKind Keyword
register AgreementParties KeywordList
register CeremonyAt Datetime
register NextReminderAt Datetime
register NextObligationDue Datetime

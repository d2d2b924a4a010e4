#!/bin/sh
# One-shot: waits for the Temporal frontend, then creates the namespace if it is missing. Runs in
# temporalio/admin-tools (the `temporal` CLI reads TEMPORAL_ADDRESS).
set -eu

NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# How long Temporal keeps a closed agreement: 30 days, so the weekly digest still reads the agreements that ended in its
# week and the UI shows them for a month (the records database keeps them for good).
RETENTION="${NAMESPACE_RETENTION:-720h}"

echo "Waiting for Temporal at ${TEMPORAL_ADDRESS}..."
attempt=0
until temporal operator cluster health >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "${attempt}" -ge 60 ]; then
    echo "Temporal at ${TEMPORAL_ADDRESS} did not become healthy" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "${NAMESPACE}" >/dev/null 2>&1; then
  echo "Namespace ${NAMESPACE} exists."
else
  temporal operator namespace create --namespace "${NAMESPACE}" --retention "${RETENTION}"
  echo "Namespace ${NAMESPACE} created (retention ${RETENTION})."
fi

#!/bin/sh
# One-shot: creates Temporal's databases on PostgreSQL and brings their schemas to the version this admin-tools image
# ships (postgres12 plugin). Safe to re-run: `create` ignores an existing database, `setup-schema -v 0.0` only adds the
# version tables, and `update-schema` applies only the missing versions. Runs in temporalio/admin-tools.
set -eu

: "${POSTGRES_SEEDS:=postgresql}"
: "${DB_PORT:=5432}"
: "${POSTGRES_USER:=temporal}"
: "${DBNAME:=temporal}"
: "${VISIBILITY_DBNAME:=temporal_visibility}"
# temporal-sql-tool reads the password from SQL_PASSWORD.
export SQL_PASSWORD="${SQL_PASSWORD:-${POSTGRES_PWD:-}}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "Waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}..."
until nc -z "${POSTGRES_SEEDS}" "${DB_PORT}"; do sleep 1; done

sql() {
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -p "${DB_PORT}" -u "${POSTGRES_USER}" "$@"
}

sql --db "${DBNAME}" create
sql --db "${DBNAME}" setup-schema -v 0.0
sql --db "${DBNAME}" update-schema -d "${SCHEMA_DIR}/temporal/versioned"

sql --db "${VISIBILITY_DBNAME}" create
sql --db "${VISIBILITY_DBNAME}" setup-schema -v 0.0
sql --db "${VISIBILITY_DBNAME}" update-schema -d "${SCHEMA_DIR}/visibility/versioned"

echo "Temporal schemas are up to date (${DBNAME}, ${VISIBILITY_DBNAME})."

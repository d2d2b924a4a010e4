#!/bin/sh
# One-shot: creates Temporal's databases on PostgreSQL and brings their schemas to the version of the SQL tool that
# runs it (postgres12 plugin, the schemas embedded in the tool). Safe to re-run: `create` ignores an existing database,
# `setup-schema -v 0.0` only adds the version tables, and `update-schema` applies only the missing versions.
# Used by both launchers: docker-compose.yml runs it in temporalio/admin-tools (temporal-sql-tool); `npm run stack`
# runs it with the `sql` tool it built from go.temporal.io/server (TEMPORAL_SQL_TOOL).
set -eu

: "${TEMPORAL_SQL_TOOL:=temporal-sql-tool}"
: "${POSTGRES_SEEDS:=postgresql}"
: "${DB_PORT:=5432}"
: "${POSTGRES_USER:=temporal}"
: "${DBNAME:=temporal}"
: "${VISIBILITY_DBNAME:=temporal_visibility}"
# The SQL tool reads the password from SQL_PASSWORD.
export SQL_PASSWORD="${SQL_PASSWORD:-${POSTGRES_PWD:-}}"

sql() {
  "${TEMPORAL_SQL_TOOL}" --plugin postgres12 --ep "${POSTGRES_SEEDS}" -p "${DB_PORT}" -u "${POSTGRES_USER}" "$@"
}

sql --db "${DBNAME}" create
sql --db "${DBNAME}" setup-schema -v 0.0
sql --db "${DBNAME}" update-schema --schema-name postgresql/v12/temporal

sql --db "${VISIBILITY_DBNAME}" create
sql --db "${VISIBILITY_DBNAME}" setup-schema -v 0.0
sql --db "${VISIBILITY_DBNAME}" update-schema --schema-name postgresql/v12/visibility

echo "Temporal schemas are up to date (${DBNAME}, ${VISIBILITY_DBNAME})."

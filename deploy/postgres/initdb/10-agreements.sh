#!/bin/sh
# Runs once, when the postgresql service initialises an empty data volume (docker-entrypoint-initdb.d).
# The records store (register, audit trail, sent-mail log) gets its own role and database; the worker's migrations
# create the tables on start. Temporal's own databases (temporal, temporal_visibility) are created by the
# temporal-schema service with temporal-sql-tool. The password comes from .env (AGREEMENTS_DB_PASSWORD), never from
# this file; psql quotes it (:'password').
set -eu
: "${AGREEMENTS_DB_PASSWORD:?AGREEMENTS_DB_PASSWORD is not set}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname postgres \
  -v password="${AGREEMENTS_DB_PASSWORD}" <<'SQL'
CREATE ROLE agreements WITH LOGIN PASSWORD :'password';
CREATE DATABASE agreements OWNER agreements;
SQL

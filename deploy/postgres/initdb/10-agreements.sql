-- Runs once, when the postgresql service initialises an empty data volume (docker-entrypoint-initdb.d).
-- The records store (register, audit trail, sent-mail log) gets its own role and database; the worker's migrations
-- create the tables on start. Temporal's own databases (temporal, temporal_visibility) are created by the
-- temporal-schema service with temporal-sql-tool.
CREATE ROLE agreements WITH LOGIN PASSWORD 'agreements';
CREATE DATABASE agreements OWNER agreements;

-- The two PostgreSQL users of a deployment (knative/README.md), made once by a superuser:
--   psql "<a superuser's URL>" -v ON_ERROR_STOP=1 -v database=daprps -v owner=daprps_owner \
--     -v app=daprps_app -v owner_password="$OWNER_PASSWORD" -v app_password="$APP_PASSWORD" \
--     -f knative/postgres-users.sql
-- The owner changes the schema: the migrate Job connects as it (Secret daprps-migrate). The app
-- only reads and writes rows: every function connects as it (Secret daprps-secrets). Checked by
-- functions/migrate-database.test.ts against a real PostgreSQL.
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"database" OWNER :"owner";
\connect :database
-- The tables live in `public`, the owner's; nobody else may create anything there (PostgreSQL
-- 15 and later already say so; earlier versions let every user).
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
-- Whatever the owner's migrations create, now and later: rows for the app, nothing more.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";

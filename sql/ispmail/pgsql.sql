-- Mailwarden: the ISPmail tutorial's tables (workaround.org) for PostgreSQL.
--
-- The tutorial uses MariaDB (sql/ispmail/mysql.sql); these are the same
-- three tables in PostgreSQL's types, as admins who follow it on PostgreSQL
-- make them (VIRTUAL-MAIL-FACTS.md in the project's shared docs): no table
-- prefix, foreign keys with ON DELETE CASCADE so that deleting a domain
-- deletes its users and aliases. Passwords are Dovecot strings with a
-- {SCHEME} prefix; quota in bytes, 0 = unlimited.
--
-- Editions differ in one place: the Debian 13 edition has a unique key on
-- virtual_domains.name (this file: constraint virtual_domains_name_key); the
-- Debian 11 and 12 editions, still the most deployed, have none. Mailwarden
-- detects both; the tests make the older one with
-- `ALTER TABLE virtual_domains DROP CONSTRAINT virtual_domains_name_key`.
--
-- Used by the tests of issue 17 (tests/db/test-vmail-schema.c). Load into an
-- empty database as one script (mw_db_exec_script) or with
--   psql -v ON_ERROR_STOP=1 -1 -d mailserver -f sql/ispmail/pgsql.sql
--
-- SPDX-License-Identifier: GPL-3.0-or-later

CREATE TABLE virtual_domains (
  id serial PRIMARY KEY,
  name varchar(50) NOT NULL,
  CONSTRAINT virtual_domains_name_key UNIQUE (name)
);

CREATE TABLE virtual_users (
  id serial PRIMARY KEY,
  domain_id integer NOT NULL REFERENCES virtual_domains (id) ON DELETE CASCADE,
  email varchar(100) NOT NULL,
  password varchar(150) NOT NULL,
  quota bigint NOT NULL DEFAULT 0,
  CONSTRAINT virtual_users_email_key UNIQUE (email)
);

CREATE TABLE virtual_aliases (
  id serial PRIMARY KEY,
  domain_id integer NOT NULL REFERENCES virtual_domains (id) ON DELETE CASCADE,
  source varchar(100) NOT NULL,
  destination varchar(100) NOT NULL
);

-- Mailwarden: the ISPmail tutorial's tables (workaround.org) for MariaDB/MySQL.
--
-- Written from the tutorial's description (VIRTUAL-MAIL-FACTS.md in the
-- project's shared docs): three tables, no table prefix, InnoDB with foreign
-- keys so that deleting a domain deletes its users and aliases. Passwords are
-- Dovecot strings with a {SCHEME} prefix; quota in bytes, 0 = unlimited.
--
-- Editions differ in one place: the Debian 13 edition has UNIQUE KEY (name)
-- on virtual_domains (this file); the Debian 11 and 12 editions, still the
-- most deployed, have no unique key there. Mailwarden detects both; the tests
-- make the older one with `ALTER TABLE virtual_domains DROP INDEX name`.
--
-- Used by the tests of issue 17 (tests/db/test-vmail-schema.c). Load into an
-- empty database as one script (mw_db_exec_script) or with
--   mariadb mailserver < sql/ispmail/mysql.sql
--
-- SPDX-License-Identifier: GPL-3.0-or-later

CREATE TABLE virtual_domains (
  id int(11) NOT NULL AUTO_INCREMENT,
  name varchar(50) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE virtual_users (
  id int(11) NOT NULL AUTO_INCREMENT,
  domain_id int(11) NOT NULL,
  email varchar(100) NOT NULL,
  password varchar(150) NOT NULL,
  quota bigint(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY email (email),
  FOREIGN KEY (domain_id) REFERENCES virtual_domains (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE virtual_aliases (
  id int(11) NOT NULL AUTO_INCREMENT,
  domain_id int(11) NOT NULL,
  source varchar(100) NOT NULL,
  destination varchar(100) NOT NULL,
  PRIMARY KEY (id),
  FOREIGN KEY (domain_id) REFERENCES virtual_domains (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

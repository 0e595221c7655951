-- Mailwarden: DBMail 3.5-compatible schema for MariaDB (10.11) / MySQL.
--
-- Written from the documented DBMail 3.5 schema (docs/DBMAIL-FACTS.md,
-- section A): the 3.x MySQL tables with every automatic upgrade step
-- 32001..35002 already applied (sievescripts.id from 32005, utf8mb4 from
-- 35001, nullable compressed mimeparts from 35002), so a real DBMail 3.5
-- accepts the database as it is and does not try to create or upgrade
-- anything. Table prefix `dbmail_` is hard-coded, as in DBMail's own files.
--
-- All tables are InnoDB, utf8mb4 with utf8mb4_general_ci, so string
-- comparisons and the UNIQUE key on dbmail_users.userid are case-insensitive,
-- as on a real DBMail MySQL database. Character set and collation are given
-- per table, so the database default does not matter.
--
-- Used for tests and the demo. Load into an empty database:
--   mariadb DB < sql/mysql/dbmail.sql
-- or send the whole file as one mysql_real_query() string on a connection
-- opened with CLIENT_MULTI_STATEMENTS. Plain `;`-terminated statements only;
-- tables are created in dependency order, so no session settings are changed.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

-- ---------------------------------------------------------------------------
-- Users and aliases
-- ---------------------------------------------------------------------------

CREATE TABLE `dbmail_users` (
  `user_idnr`       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `userid`          VARCHAR(255) NOT NULL DEFAULT '',
  `passwd`          VARCHAR(255) NOT NULL DEFAULT '',
  `client_idnr`     BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `maxmail_size`    BIGINT NOT NULL DEFAULT 0,
  `curmail_size`    BIGINT NOT NULL DEFAULT 0,
  `maxsieve_size`   BIGINT NOT NULL DEFAULT 0,
  `cursieve_size`   BIGINT NOT NULL DEFAULT 0,
  `encryption_type` VARCHAR(255) NOT NULL DEFAULT '',
  `last_login`      DATETIME NOT NULL DEFAULT '1979-11-03 22:05:58',
  -- upgrade step 32004
  `spasswd`         VARCHAR(130) NOT NULL DEFAULT '',
  `saction`         SMALLINT NOT NULL DEFAULT 0,
  `active`          SMALLINT NOT NULL DEFAULT 1,
  PRIMARY KEY (`user_idnr`),
  UNIQUE KEY `userid_index` (`userid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- No unique constraint, no foreign key and no index on deliver_to (as in DBMail).
CREATE TABLE `dbmail_aliases` (
  `alias_idnr`      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `alias`           VARCHAR(255) NOT NULL DEFAULT '',
  `deliver_to`      VARCHAR(255) NOT NULL DEFAULT '',
  `client_idnr`     BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (`alias_idnr`),
  KEY `alias_index` (`alias`),
  KEY `client_idnr_index` (`client_idnr`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_usermap` (
  `login`           VARCHAR(255) NOT NULL,
  `sock_allow`      VARCHAR(255) NOT NULL,
  `sock_deny`       VARCHAR(255) NOT NULL,
  `userid`          VARCHAR(255) NOT NULL,
  UNIQUE KEY `usermap_idx_1` (`login`, `sock_allow`, `userid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- ---------------------------------------------------------------------------
-- Mailboxes, subscriptions, ACLs
-- ---------------------------------------------------------------------------

CREATE TABLE `dbmail_mailboxes` (
  `mailbox_idnr`    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `owner_idnr`      BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `name`            VARCHAR(255) NOT NULL DEFAULT '',
  `seen_flag`       TINYINT(1) NOT NULL DEFAULT 0,
  `answered_flag`   TINYINT(1) NOT NULL DEFAULT 0,
  `deleted_flag`    TINYINT(1) NOT NULL DEFAULT 0,
  `flagged_flag`    TINYINT(1) NOT NULL DEFAULT 0,
  `recent_flag`     TINYINT(1) NOT NULL DEFAULT 0,
  `draft_flag`      TINYINT(1) NOT NULL DEFAULT 0,
  `no_inferiors`    TINYINT(1) NOT NULL DEFAULT 0,
  `no_select`       TINYINT(1) NOT NULL DEFAULT 0,
  `permission`      TINYINT(1) DEFAULT 2,
  `seq`             BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`mailbox_idnr`),
  UNIQUE KEY `owner_idnr_name_index` (`owner_idnr`, `name`),
  KEY `name_index` (`name`),
  KEY `owner_idnr_index` (`owner_idnr`),
  KEY `seq_index` (`seq`),
  CONSTRAINT `dbmail_mailboxes_ibfk_1` FOREIGN KEY (`owner_idnr`)
    REFERENCES `dbmail_users` (`user_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_subscription` (
  `user_id`         BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `mailbox_id`      BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (`user_id`, `mailbox_id`),
  KEY `user_id_index` (`user_id`),
  KEY `mailbox_id_index` (`mailbox_id`),
  CONSTRAINT `dbmail_subscription_ibfk_1` FOREIGN KEY (`user_id`)
    REFERENCES `dbmail_users` (`user_idnr`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `dbmail_subscription_ibfk_2` FOREIGN KEY (`mailbox_id`)
    REFERENCES `dbmail_mailboxes` (`mailbox_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_acl` (
  `user_id`         BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `mailbox_id`      BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `lookup_flag`     TINYINT(1) NOT NULL DEFAULT 0,  -- l
  `read_flag`       TINYINT(1) NOT NULL DEFAULT 0,  -- r
  `seen_flag`       TINYINT(1) NOT NULL DEFAULT 0,  -- s
  `write_flag`      TINYINT(1) NOT NULL DEFAULT 0,  -- w
  `insert_flag`     TINYINT(1) NOT NULL DEFAULT 0,  -- i
  `post_flag`       TINYINT(1) NOT NULL DEFAULT 0,  -- p
  `create_flag`     TINYINT(1) NOT NULL DEFAULT 0,  -- k (c)
  `delete_flag`     TINYINT(1) NOT NULL DEFAULT 0,  -- x (d)
  `deleted_flag`    TINYINT(1) NOT NULL DEFAULT 0,  -- t
  `expunge_flag`    TINYINT(1) NOT NULL DEFAULT 0,  -- e
  `administer_flag` TINYINT(1) NOT NULL DEFAULT 0,  -- a
  PRIMARY KEY (`user_id`, `mailbox_id`),
  KEY `user_id_index` (`user_id`),
  KEY `mailbox_id_index` (`mailbox_id`),
  CONSTRAINT `dbmail_acl_ibfk_1` FOREIGN KEY (`user_id`)
    REFERENCES `dbmail_users` (`user_idnr`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `dbmail_acl_ibfk_2` FOREIGN KEY (`mailbox_id`)
    REFERENCES `dbmail_mailboxes` (`mailbox_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- ---------------------------------------------------------------------------
-- Messages
-- ---------------------------------------------------------------------------

CREATE TABLE `dbmail_physmessage` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `messagesize`     BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `rfcsize`         BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `internal_date`   DATETIME NOT NULL DEFAULT '1000-01-01 00:00:00',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_messages` (
  `message_idnr`    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `mailbox_idnr`    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `physmessage_id`  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `seen_flag`       TINYINT(1) NOT NULL DEFAULT 0,
  `answered_flag`   TINYINT(1) NOT NULL DEFAULT 0,
  `deleted_flag`    TINYINT(1) NOT NULL DEFAULT 0,
  `flagged_flag`    TINYINT(1) NOT NULL DEFAULT 0,
  `recent_flag`     TINYINT(1) NOT NULL DEFAULT 0,
  `draft_flag`      TINYINT(1) NOT NULL DEFAULT 0,
  `unique_id`       VARCHAR(70) NOT NULL DEFAULT '',
  `status`          TINYINT(3) UNSIGNED NOT NULL DEFAULT 0,
  -- upgrade step 32003
  `seq`             BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`message_idnr`),
  KEY `physmessage_id_index` (`physmessage_id`),
  KEY `mailbox_idnr_index` (`mailbox_idnr`),
  KEY `seen_flag_index` (`seen_flag`),
  KEY `unique_id_index` (`unique_id`),
  KEY `status_index` (`status`),
  KEY `mailbox_status` (`mailbox_idnr`, `status`),
  KEY `dbmail_messages_seq_index` (`seq`),
  CONSTRAINT `dbmail_messages_ibfk_1` FOREIGN KEY (`physmessage_id`)
    REFERENCES `dbmail_physmessage` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `dbmail_messages_ibfk_2` FOREIGN KEY (`mailbox_idnr`)
    REFERENCES `dbmail_mailboxes` (`mailbox_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- Single-instance MIME part store; data nullable and compressed (35002).
-- (The 3.x MySQL schema has no legacy dbmail_messageblks table.)
CREATE TABLE `dbmail_mimeparts` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `hash`            CHAR(128) NOT NULL,
  `data`            LONGBLOB NULL DEFAULT NULL,
  `size`            BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  KEY `hash` (`hash`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=COMPRESSED;

-- No primary key (as in DBMail).
CREATE TABLE `dbmail_partlists` (
  `physmessage_id`  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `is_header`       TINYINT(1) NOT NULL DEFAULT 0,
  `part_key`        SMALLINT NOT NULL DEFAULT 0,
  `part_depth`      SMALLINT NOT NULL DEFAULT 0,
  `part_order`      SMALLINT NOT NULL DEFAULT 0,
  `part_id`         BIGINT UNSIGNED NOT NULL DEFAULT 0,
  KEY `physmessage_id` (`physmessage_id`),
  KEY `part_id` (`part_id`),
  UNIQUE KEY `message_parts` (`physmessage_id`, `part_key`, `part_depth`, `part_order`),
  CONSTRAINT `dbmail_partlists_ibfk_1` FOREIGN KEY (`physmessage_id`)
    REFERENCES `dbmail_physmessage` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `dbmail_partlists_ibfk_2` FOREIGN KEY (`part_id`)
    REFERENCES `dbmail_mimeparts` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- IMAP keywords (user flags).
CREATE TABLE `dbmail_keywords` (
  `message_idnr`    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `keyword`         VARCHAR(255) NOT NULL,
  PRIMARY KEY (`message_idnr`, `keyword`),
  CONSTRAINT `dbmail_keywords_ibfk_1` FOREIGN KEY (`message_idnr`)
    REFERENCES `dbmail_messages` (`message_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- ---------------------------------------------------------------------------
-- Header cache, envelopes, references (for SEARCH/SORT/THREAD/FETCH)
-- ---------------------------------------------------------------------------

-- UNIQUE under a case-insensitive collation (PostgreSQL: UNIQUE lower(headername)).
CREATE TABLE `dbmail_headername` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `headername`      VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `headername` (`headername`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_headervalue` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `hash`            VARCHAR(255) NOT NULL,
  `headervalue`     TEXT NOT NULL,
  `sortfield`       VARCHAR(255) DEFAULT NULL,
  `datefield`       DATETIME DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `hash` (`hash`),
  KEY `headervalue` (`headervalue`(255)),
  KEY `sortfield` (`sortfield`),
  KEY `datefield` (`datefield`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_header` (
  `physmessage_id`  BIGINT UNSIGNED NOT NULL,
  `headername_id`   BIGINT UNSIGNED NOT NULL,
  `headervalue_id`  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (`physmessage_id`, `headername_id`, `headervalue_id`),
  KEY `physmessage_id` (`physmessage_id`),
  KEY `headername_id` (`headername_id`),
  KEY `headervalue_id` (`headervalue_id`),
  KEY `physmessage_id_headername_id` (`physmessage_id`, `headername_id`),
  KEY `physmessage_id_headervalue_id` (`physmessage_id`, `headervalue_id`),
  KEY `headername_id_headervalue_id` (`headername_id`, `headervalue_id`),
  CONSTRAINT `dbmail_header_ibfk_1` FOREIGN KEY (`physmessage_id`)
    REFERENCES `dbmail_physmessage` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `dbmail_header_ibfk_2` FOREIGN KEY (`headername_id`)
    REFERENCES `dbmail_headername` (`id`) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT `dbmail_header_ibfk_3` FOREIGN KEY (`headervalue_id`)
    REFERENCES `dbmail_headervalue` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_envelope` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `physmessage_id`  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `envelope`        TEXT NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `physmessage_id_1` (`physmessage_id`),
  UNIQUE KEY `physmessage_id_2` (`physmessage_id`, `id`),
  CONSTRAINT `dbmail_envelope_ibfk_1` FOREIGN KEY (`physmessage_id`)
    REFERENCES `dbmail_physmessage` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_referencesfield` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `physmessage_id`  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `referencesfield` VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `physmessage_id` (`physmessage_id`, `referencesfield`),
  CONSTRAINT `dbmail_referencesfield_ibfk_1` FOREIGN KEY (`physmessage_id`)
    REFERENCES `dbmail_physmessage` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- ---------------------------------------------------------------------------
-- Sieve, filters, auto-replies and notifications
-- ---------------------------------------------------------------------------

-- id and nullable owner_idnr from upgrade step 32005.
CREATE TABLE `dbmail_sievescripts` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `owner_idnr`      BIGINT UNSIGNED NULL DEFAULT NULL,
  `name`            VARCHAR(255) NOT NULL,
  `script`          MEDIUMTEXT NULL,
  `active`          TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  UNIQUE KEY `owner_idnr_2` (`owner_idnr`, `name`),
  KEY `name` (`name`),
  KEY `owner_idnr` (`owner_idnr`),
  CONSTRAINT `dbmail_sievescripts_ibfk_1` FOREIGN KEY (`owner_idnr`)
    REFERENCES `dbmail_users` (`user_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_filters` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `user_id`         BIGINT UNSIGNED NOT NULL,
  `headername`      VARCHAR(255) NOT NULL,
  `headervalue`     VARCHAR(255) NOT NULL,
  `mailbox`         VARCHAR(255) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `user_id` (`user_id`),
  CONSTRAINT `dbmail_filters_ibfk_1` FOREIGN KEY (`user_id`)
    REFERENCES `dbmail_users` (`user_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- No primary key on MySQL (index only).
CREATE TABLE `dbmail_auto_notifications` (
  `user_idnr`       BIGINT UNSIGNED NOT NULL,
  `notify_address`  VARCHAR(100) NOT NULL DEFAULT '',
  KEY `user_idnr_index` (`user_idnr`),
  CONSTRAINT `dbmail_auto_notifications_fk_dbmail_users` FOREIGN KEY (`user_idnr`)
    REFERENCES `dbmail_users` (`user_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- No primary key on MySQL (index only).
CREATE TABLE `dbmail_auto_replies` (
  `user_idnr`       BIGINT UNSIGNED NOT NULL DEFAULT 0,
  `start_date`      DATETIME NOT NULL,
  `stop_date`       DATETIME NOT NULL,
  `reply_body`      MEDIUMTEXT,
  KEY `user_idnr_index` (`user_idnr`),
  CONSTRAINT `dbmail_auto_replies_fk_dbmail_users` FOREIGN KEY (`user_idnr`)
    REFERENCES `dbmail_users` (`user_idnr`) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- No primary key (as in DBMail).
CREATE TABLE `dbmail_replycache` (
  `to_addr`         VARCHAR(255) NOT NULL DEFAULT '',
  `from_addr`       VARCHAR(255) NOT NULL DEFAULT '',
  `handle`          VARCHAR(255) NOT NULL DEFAULT '',
  `lastseen`        DATETIME NOT NULL DEFAULT '1000-01-01 00:00:00',
  UNIQUE KEY `replycache_1` (`to_addr`, `from_addr`, `handle`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- ---------------------------------------------------------------------------
-- Logs
-- ---------------------------------------------------------------------------

CREATE TABLE `dbmail_pbsp` (
  `idnr`            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `since`           DATETIME NOT NULL DEFAULT '1000-01-01 00:00:00',
  `ipnumber`        VARCHAR(40) NOT NULL,
  PRIMARY KEY (`idnr`),
  UNIQUE KEY `ipnumber_index` (`ipnumber`),
  KEY `since_index` (`since`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `dbmail_authlog` (
  `id`              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `userid`          VARCHAR(100) DEFAULT NULL,
  `service`         VARCHAR(32) DEFAULT NULL,
  `login_time`      DATETIME DEFAULT NULL,
  `logout_time`     DATETIME DEFAULT NULL,
  `src_ip`          VARCHAR(40) DEFAULT NULL,
  `src_port`        INT DEFAULT NULL,
  `dst_ip`          VARCHAR(40) DEFAULT NULL,
  `dst_port`        INT DEFAULT NULL,
  `status`          VARCHAR(32) DEFAULT 'active',
  `bytes_rx`        BIGINT NOT NULL DEFAULT 0,
  `bytes_tx`        BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- ---------------------------------------------------------------------------
-- Schema version (upgrade step 32001) with every step up to 35002 recorded
-- ---------------------------------------------------------------------------

CREATE TABLE `dbmail_upgrade_steps` (
  `from_version`    INT NOT NULL,
  `to_version`      INT NOT NULL,
  `applied`         DATETIME NOT NULL,
  UNIQUE KEY `from_version` (`from_version`, `to_version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO `dbmail_upgrade_steps` (`from_version`, `to_version`, `applied`) VALUES
  (0, 32001, NOW()),
  (32001, 32002, NOW()),
  (32001, 32003, NOW()),
  (32001, 32004, NOW()),
  (32001, 32005, NOW()),
  (32001, 32006, NOW()),
  (32006, 35001, NOW()),
  (35001, 35002, NOW());

-- ---------------------------------------------------------------------------
-- Views over the header cache (real tables in 2.x)
-- ---------------------------------------------------------------------------

CREATE VIEW `dbmail_fromfield` AS
  SELECT physmessage_id, sortfield AS fromfield
  FROM dbmail_messages m
  JOIN dbmail_header h USING (physmessage_id)
  JOIN dbmail_headername n ON h.headername_id = n.id
  JOIN dbmail_headervalue v ON h.headervalue_id = v.id
  WHERE n.headername = 'from';

CREATE VIEW `dbmail_ccfield` AS
  SELECT physmessage_id, sortfield AS ccfield
  FROM dbmail_messages m
  JOIN dbmail_header h USING (physmessage_id)
  JOIN dbmail_headername n ON h.headername_id = n.id
  JOIN dbmail_headervalue v ON h.headervalue_id = v.id
  WHERE n.headername = 'cc';

CREATE VIEW `dbmail_tofield` AS
  SELECT physmessage_id, sortfield AS tofield
  FROM dbmail_messages m
  JOIN dbmail_header h USING (physmessage_id)
  JOIN dbmail_headername n ON h.headername_id = n.id
  JOIN dbmail_headervalue v ON h.headervalue_id = v.id
  WHERE n.headername = 'to';

-- As recreated by upgrade step 32002 (with sortfield).
CREATE VIEW `dbmail_subjectfield` AS
  SELECT physmessage_id, headervalue AS subjectfield, sortfield
  FROM dbmail_messages m
  JOIN dbmail_header h USING (physmessage_id)
  JOIN dbmail_headername n ON h.headername_id = n.id
  JOIN dbmail_headervalue v ON h.headervalue_id = v.id
  WHERE n.headername = 'subject';

CREATE VIEW `dbmail_datefield` AS
  SELECT physmessage_id, datefield, sortfield
  FROM dbmail_messages m
  JOIN dbmail_header h USING (physmessage_id)
  JOIN dbmail_headername n ON h.headername_id = n.id
  JOIN dbmail_headervalue v ON h.headervalue_id = v.id
  WHERE n.headername = 'date';

-- ---------------------------------------------------------------------------
-- Seed rows
-- ---------------------------------------------------------------------------

-- The three system users every DBMail schema file creates. passwd '' means
-- none of them can log in. AUTO_INCREMENT continues at 4.
INSERT INTO `dbmail_users` (`user_idnr`, `userid`, `passwd`, `encryption_type`) VALUES
  (1, '__@!internal_delivery_user!@__', '', 'md5'),  -- delivery chain
  (2, 'anyone', '', 'md5'),                          -- ACL "anyone"
  (3, '__public__', '', 'md5');                      -- owner of #Public

-- The header names every DBMail program inserts at startup.
INSERT INTO `dbmail_headername` (`headername`) VALUES
  ('from'), ('to'), ('cc'), ('bcc'), ('date'), ('subject'),
  ('content-type'), ('content-disposition'), ('references'),
  ('in-reply-to'), ('reply-to'), ('return-path');

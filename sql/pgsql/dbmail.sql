-- Mailwarden: DBMail 3.5-compatible schema for PostgreSQL (15 and later).
--
-- Written from the documented DBMail 3.5 schema (docs/DBMAIL-FACTS.md,
-- section A): the 3.x PostgreSQL tables with every automatic upgrade step
-- 32001..35002 already applied, so a real DBMail 3.5 accepts the database as
-- it is and does not try to create or upgrade anything. Table prefix
-- `dbmail_` is hard-coded, as in DBMail's own schema files.
--
-- Used for tests and the demo. Load into an empty database (public schema):
--   psql -v ON_ERROR_STOP=1 -1 -d DB -f sql/pgsql/dbmail.sql
-- or send the whole file as one PQexec() string. No psql meta-commands, no
-- transaction control, no extensions, no superuser rights needed.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

-- ---------------------------------------------------------------------------
-- Users and aliases
-- ---------------------------------------------------------------------------

CREATE SEQUENCE dbmail_user_idnr_seq;
CREATE TABLE dbmail_users (
    user_idnr       INT8 DEFAULT nextval('dbmail_user_idnr_seq'),
    userid          VARCHAR(100) NOT NULL,
    passwd          VARCHAR(130) NOT NULL,
    client_idnr     INT8 DEFAULT '0' NOT NULL,
    maxmail_size    INT8 DEFAULT '0' NOT NULL,
    curmail_size    INT8 DEFAULT '0' NOT NULL,
    maxsieve_size   INT8 DEFAULT '0' NOT NULL,
    cursieve_size   INT8 DEFAULT '0' NOT NULL,
    encryption_type VARCHAR(20) DEFAULT '' NOT NULL,
    last_login      TIMESTAMP DEFAULT '1979-11-03 22:05:58' NOT NULL,
    -- upgrade step 32004
    spasswd         VARCHAR(130) DEFAULT '' NOT NULL,
    saction         SMALLINT DEFAULT '0' NOT NULL,
    active          SMALLINT DEFAULT '1' NOT NULL,
    PRIMARY KEY (user_idnr)
);
-- Case-sensitive UNIQUE (as in DBMail); DBMail itself looks names up with
-- lower(userid) = lower(?).
CREATE UNIQUE INDEX dbmail_users_name_idx ON dbmail_users (userid);
CREATE INDEX dbmail_users_2 ON dbmail_users (lower(userid));

CREATE SEQUENCE dbmail_alias_idnr_seq;
CREATE TABLE dbmail_aliases (
    alias_idnr      INT8 DEFAULT nextval('dbmail_alias_idnr_seq'),
    alias           VARCHAR(100) NOT NULL,
    deliver_to      VARCHAR(250) NOT NULL,
    client_idnr     INT8 DEFAULT '0' NOT NULL,
    PRIMARY KEY (alias_idnr)
);
-- No unique constraint, no foreign key and no index on deliver_to (as in DBMail).
CREATE INDEX dbmail_aliases_alias_idx ON dbmail_aliases (alias);
CREATE INDEX dbmail_aliases_alias_low_idx ON dbmail_aliases (lower(alias));

CREATE TABLE dbmail_usermap (
    login           VARCHAR(100) NOT NULL,
    sock_allow      VARCHAR(100) NOT NULL,
    sock_deny       VARCHAR(100) NOT NULL,
    userid          VARCHAR(100) NOT NULL
);
CREATE UNIQUE INDEX usermap_idx_1 ON dbmail_usermap (login, sock_allow, userid);

-- ---------------------------------------------------------------------------
-- Mailboxes, subscriptions, ACLs
-- ---------------------------------------------------------------------------

CREATE SEQUENCE dbmail_mailbox_idnr_seq;
CREATE TABLE dbmail_mailboxes (
    mailbox_idnr    INT8 DEFAULT nextval('dbmail_mailbox_idnr_seq'),
    owner_idnr      INT8 REFERENCES dbmail_users (user_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    name            VARCHAR(255) NOT NULL,
    seen_flag       INT2 DEFAULT '0' NOT NULL,
    answered_flag   INT2 DEFAULT '0' NOT NULL,
    deleted_flag    INT2 DEFAULT '0' NOT NULL,
    flagged_flag    INT2 DEFAULT '0' NOT NULL,
    recent_flag     INT2 DEFAULT '0' NOT NULL,
    draft_flag      INT2 DEFAULT '0' NOT NULL,
    no_inferiors    INT2 DEFAULT '0' NOT NULL,
    no_select       INT2 DEFAULT '0' NOT NULL,
    permission      INT2 DEFAULT '2' NOT NULL,
    seq             INT8 DEFAULT '0' NOT NULL,
    PRIMARY KEY (mailbox_idnr)
);
CREATE INDEX dbmail_mailboxes_owner_idx ON dbmail_mailboxes (owner_idnr);
CREATE INDEX dbmail_mailboxes_name_idx ON dbmail_mailboxes (name);
CREATE INDEX dbmail_mailboxes_seq ON dbmail_mailboxes (seq);
CREATE UNIQUE INDEX dbmail_mailboxes_owner_name_idx
    ON dbmail_mailboxes (owner_idnr, name);

CREATE TABLE dbmail_subscription (
    user_id         INT8 REFERENCES dbmail_users (user_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    mailbox_id      INT8 REFERENCES dbmail_mailboxes (mailbox_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (user_id, mailbox_id)
);

CREATE TABLE dbmail_acl (
    user_id         INT8 REFERENCES dbmail_users (user_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    mailbox_id      INT8 REFERENCES dbmail_mailboxes (mailbox_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    lookup_flag     INT2 DEFAULT '0' NOT NULL,  -- l
    read_flag       INT2 DEFAULT '0' NOT NULL,  -- r
    seen_flag       INT2 DEFAULT '0' NOT NULL,  -- s
    write_flag      INT2 DEFAULT '0' NOT NULL,  -- w
    insert_flag     INT2 DEFAULT '0' NOT NULL,  -- i
    post_flag       INT2 DEFAULT '0' NOT NULL,  -- p
    create_flag     INT2 DEFAULT '0' NOT NULL,  -- k (c)
    delete_flag     INT2 DEFAULT '0' NOT NULL,  -- x (d)
    deleted_flag    INT2 DEFAULT '0' NOT NULL,  -- t
    expunge_flag    INT2 DEFAULT '0' NOT NULL,  -- e
    administer_flag INT2 DEFAULT '0' NOT NULL,  -- a
    PRIMARY KEY (user_id, mailbox_id)
);

-- ---------------------------------------------------------------------------
-- Messages
-- ---------------------------------------------------------------------------

CREATE SEQUENCE dbmail_physmessage_id_seq;
CREATE TABLE dbmail_physmessage (
    id              INT8 DEFAULT nextval('dbmail_physmessage_id_seq'),
    messagesize     INT8 DEFAULT '0' NOT NULL,
    rfcsize         INT8 DEFAULT '0' NOT NULL,
    internal_date   TIMESTAMP WITHOUT TIME ZONE,
    PRIMARY KEY (id)
);

CREATE SEQUENCE dbmail_message_idnr_seq;
CREATE TABLE dbmail_messages (
    message_idnr    INT8 DEFAULT nextval('dbmail_message_idnr_seq'),
    mailbox_idnr    INT8 REFERENCES dbmail_mailboxes (mailbox_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    physmessage_id  INT8 REFERENCES dbmail_physmessage (id)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    seen_flag       INT2 DEFAULT '0' NOT NULL,
    answered_flag   INT2 DEFAULT '0' NOT NULL,
    deleted_flag    INT2 DEFAULT '0' NOT NULL,
    flagged_flag    INT2 DEFAULT '0' NOT NULL,
    recent_flag     INT2 DEFAULT '0' NOT NULL,
    draft_flag      INT2 DEFAULT '0' NOT NULL,
    unique_id       VARCHAR(70) NOT NULL,
    status          INT2 DEFAULT '0' NOT NULL,
    -- upgrade step 32003
    seq             BIGINT DEFAULT '0' NOT NULL,
    PRIMARY KEY (message_idnr)
);
CREATE INDEX dbmail_messages_1 ON dbmail_messages (mailbox_idnr);
CREATE INDEX dbmail_messages_2 ON dbmail_messages (physmessage_id);
CREATE INDEX dbmail_messages_3 ON dbmail_messages (seen_flag);
CREATE INDEX dbmail_messages_4 ON dbmail_messages (unique_id);
CREATE INDEX dbmail_messages_5 ON dbmail_messages (status);
CREATE INDEX dbmail_messages_6 ON dbmail_messages (status) WHERE status < '2';
CREATE INDEX dbmail_messages_7 ON dbmail_messages (mailbox_idnr, status, seen_flag);
CREATE INDEX dbmail_messages_8 ON dbmail_messages (mailbox_idnr, status, recent_flag);
CREATE INDEX dbmail_messages_seq_index ON dbmail_messages (seq);

-- Legacy 2.x message storage: still created (empty) by the 3.x PostgreSQL
-- schema; 3.5 reads it and `dbmail-util -M` migrates it to mimeparts.
CREATE SEQUENCE dbmail_messageblk_idnr_seq;
CREATE TABLE dbmail_messageblks (
    messageblk_idnr INT8 DEFAULT nextval('dbmail_messageblk_idnr_seq'),
    physmessage_id  INT8 REFERENCES dbmail_physmessage (id)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    messageblk      BYTEA NOT NULL,
    blocksize       INT8 DEFAULT '0' NOT NULL,
    is_header       INT2 DEFAULT '0' NOT NULL,
    PRIMARY KEY (messageblk_idnr)
);
CREATE INDEX dbmail_messageblks_physmessage_idx
    ON dbmail_messageblks (physmessage_id);
CREATE INDEX dbmail_messageblks_physmessage_is_header_idx
    ON dbmail_messageblks (physmessage_id, is_header);

-- Single-instance MIME part store (3.x).
CREATE SEQUENCE dbmail_mimeparts_id_seq;
CREATE TABLE dbmail_mimeparts (
    id              BIGINT DEFAULT nextval('dbmail_mimeparts_id_seq') NOT NULL,
    hash            CHARACTER(256) NOT NULL,
    data            BYTEA NOT NULL,
    size            BIGINT NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX dbmail_mimeparts_1 ON dbmail_mimeparts USING btree (hash);

-- No primary key (as in DBMail).
CREATE TABLE dbmail_partlists (
    physmessage_id  BIGINT NOT NULL,
    is_header       SMALLINT DEFAULT (0)::smallint NOT NULL,
    part_key        INTEGER DEFAULT 0 NOT NULL,
    part_depth      INTEGER DEFAULT 0 NOT NULL,
    part_order      INTEGER DEFAULT 0 NOT NULL,
    part_id         BIGINT NOT NULL,
    CONSTRAINT dbmail_partlists_part_id_fkey FOREIGN KEY (part_id)
        REFERENCES dbmail_mimeparts (id) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT dbmail_partlists_physmessage_id_fkey FOREIGN KEY (physmessage_id)
        REFERENCES dbmail_physmessage (id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX dbmail_partlists_1 ON dbmail_partlists USING btree (physmessage_id);
CREATE INDEX dbmail_partlists_2 ON dbmail_partlists USING btree (part_id);
CREATE UNIQUE INDEX message_parts
    ON dbmail_partlists (physmessage_id, part_key, part_depth, part_order);

-- IMAP keywords (user flags).
CREATE TABLE dbmail_keywords (
    message_idnr    BIGINT NOT NULL,
    keyword         VARCHAR(64) NOT NULL,
    CONSTRAINT dbmail_keywords_pkey PRIMARY KEY (message_idnr, keyword),
    CONSTRAINT dbmail_keywords_fkey FOREIGN KEY (message_idnr)
        REFERENCES dbmail_messages (message_idnr) ON DELETE CASCADE ON UPDATE CASCADE
);

-- ---------------------------------------------------------------------------
-- Header cache, envelopes, references (for SEARCH/SORT/THREAD/FETCH)
-- ---------------------------------------------------------------------------

CREATE SEQUENCE dbmail_headername_id_seq;
CREATE TABLE dbmail_headername (
    id              INT8 DEFAULT nextval('dbmail_headername_id_seq') NOT NULL,
    headername      VARCHAR(100) DEFAULT 'BROKEN_HEADER' NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX dbmail_headername_1 ON dbmail_headername (lower(headername));

CREATE SEQUENCE dbmail_headervalue_id_seq;
CREATE TABLE dbmail_headervalue (
    id              INT8 DEFAULT nextval('dbmail_headervalue_id_seq') NOT NULL,
    hash            VARCHAR(256) NOT NULL,
    headervalue     TEXT DEFAULT '' NOT NULL,
    sortfield       VARCHAR(255) DEFAULT NULL,
    datefield       TIMESTAMP WITHOUT TIME ZONE,
    PRIMARY KEY (id)
);
CREATE INDEX dbmail_headervalue_1 ON dbmail_headervalue USING btree (hash);
CREATE INDEX dbmail_headervalue_2 ON dbmail_headervalue USING btree (sortfield);
CREATE INDEX dbmail_headervalue_3 ON dbmail_headervalue USING btree (datefield);

CREATE TABLE dbmail_header (
    physmessage_id  INT8 NOT NULL REFERENCES dbmail_physmessage (id)
                        ON UPDATE CASCADE ON DELETE CASCADE,
    headername_id   INT8 NOT NULL REFERENCES dbmail_headername (id)
                        ON UPDATE CASCADE ON DELETE CASCADE,
    headervalue_id  INT8 NOT NULL REFERENCES dbmail_headervalue (id)
                        ON UPDATE CASCADE ON DELETE CASCADE,
    PRIMARY KEY (physmessage_id, headername_id, headervalue_id)
);
CREATE INDEX dbmail_header_headername_id_key ON dbmail_header (headername_id);
CREATE INDEX dbmail_header_headervalue_id_key ON dbmail_header (headervalue_id);
CREATE INDEX dbmail_header_physmessage_id_key ON dbmail_header (physmessage_id);

CREATE SEQUENCE dbmail_envelope_idnr_seq;
CREATE TABLE dbmail_envelope (
    physmessage_id  INT8 NOT NULL REFERENCES dbmail_physmessage (id)
                        ON UPDATE CASCADE ON DELETE CASCADE,
    id              INT8 DEFAULT nextval('dbmail_envelope_idnr_seq'),
    envelope        TEXT DEFAULT '' NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX dbmail_envelope_1 ON dbmail_envelope (physmessage_id);
CREATE UNIQUE INDEX dbmail_envelope_2 ON dbmail_envelope (physmessage_id, id);

CREATE SEQUENCE dbmail_referencesfield_idnr_seq;
CREATE TABLE dbmail_referencesfield (
    physmessage_id  INT8 NOT NULL REFERENCES dbmail_physmessage (id)
                        ON UPDATE CASCADE ON DELETE CASCADE,
    id              INT8 DEFAULT nextval('dbmail_referencesfield_idnr_seq'),
    referencesfield VARCHAR(255) DEFAULT '' NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX dbmail_referencesfield_1
    ON dbmail_referencesfield (physmessage_id, referencesfield);

-- ---------------------------------------------------------------------------
-- Sieve, filters, auto-replies and notifications
-- ---------------------------------------------------------------------------

CREATE SEQUENCE dbmail_sievescripts_idnr_seq;
CREATE TABLE dbmail_sievescripts (
    id              INT8 DEFAULT nextval('dbmail_sievescripts_idnr_seq'),
    owner_idnr      INT8 NOT NULL REFERENCES dbmail_users (user_idnr)
                        ON UPDATE CASCADE ON DELETE CASCADE,
    active          INT2 DEFAULT '0' NOT NULL,
    name            VARCHAR(100) DEFAULT '' NOT NULL,
    script          TEXT DEFAULT '' NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX dbmail_sievescripts_1 ON dbmail_sievescripts (owner_idnr, name);
CREATE INDEX dbmail_sievescripts_2 ON dbmail_sievescripts (owner_idnr, active);

CREATE SEQUENCE dbmail_filters_id_seq;
CREATE TABLE dbmail_filters (
    user_id         INT8 REFERENCES dbmail_users (user_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    id              INT8 DEFAULT nextval('dbmail_filters_id_seq') NOT NULL,
    headername      VARCHAR(128) NOT NULL,
    headervalue     VARCHAR(255) NOT NULL,
    mailbox         VARCHAR(100) NOT NULL,
    PRIMARY KEY (user_id, id)
);

CREATE TABLE dbmail_auto_notifications (
    user_idnr       INT8 REFERENCES dbmail_users (user_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    notify_address  VARCHAR(100),
    PRIMARY KEY (user_idnr)
);

CREATE TABLE dbmail_auto_replies (
    user_idnr       INT8 REFERENCES dbmail_users (user_idnr)
                        ON DELETE CASCADE ON UPDATE CASCADE,
    start_date      TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    stop_date       TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    reply_body      TEXT,
    PRIMARY KEY (user_idnr)
);

-- No primary key (as in DBMail).
CREATE TABLE dbmail_replycache (
    to_addr         VARCHAR(100) DEFAULT '' NOT NULL,
    from_addr       VARCHAR(100) DEFAULT '' NOT NULL,
    handle          VARCHAR(100) DEFAULT '',
    lastseen        TIMESTAMP WITHOUT TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX replycache_1 ON dbmail_replycache USING btree (to_addr, from_addr, handle);

-- ---------------------------------------------------------------------------
-- Logs
-- ---------------------------------------------------------------------------

CREATE SEQUENCE dbmail_seq_pbsp_id;
CREATE TABLE dbmail_pbsp (
    idnr            INT8 DEFAULT nextval('dbmail_seq_pbsp_id') NOT NULL,
    since           TIMESTAMP DEFAULT '1970-01-01 00:00:00' NOT NULL,
    ipnumber        INET DEFAULT '0.0.0.0' NOT NULL,
    PRIMARY KEY (idnr)
);
CREATE UNIQUE INDEX dbmail_idx_ipnumber ON dbmail_pbsp (ipnumber);
CREATE INDEX dbmail_idx_since ON dbmail_pbsp (since);

CREATE SEQUENCE dbmail_authlog_id_seq;
CREATE TABLE dbmail_authlog (
    id              INT8 DEFAULT nextval('dbmail_authlog_id_seq'),
    userid          VARCHAR(100),
    service         VARCHAR(32),
    login_time      TIMESTAMP WITHOUT TIME ZONE,
    logout_time     TIMESTAMP WITHOUT TIME ZONE,
    src_ip          VARCHAR(40),
    src_port        INT8,
    dst_ip          VARCHAR(40),
    dst_port        INT8,
    status          VARCHAR(32) DEFAULT 'active',
    bytes_rx        INT8 DEFAULT '0' NOT NULL,
    bytes_tx        INT8 DEFAULT '0' NOT NULL,
    PRIMARY KEY (id)
);

-- ---------------------------------------------------------------------------
-- Schema version (upgrade step 32001) with every step up to 35002 recorded
-- ---------------------------------------------------------------------------

CREATE TABLE dbmail_upgrade_steps (
    from_version    INT NOT NULL,
    to_version      INT NOT NULL,
    applied         TIMESTAMP WITHOUT TIME ZONE DEFAULT now()
);
CREATE UNIQUE INDEX dbmail_upgrade_steps_index_1
    ON dbmail_upgrade_steps (from_version, to_version);

INSERT INTO dbmail_upgrade_steps (from_version, to_version) VALUES
    (0, 32001),
    (32001, 32002),
    (32001, 32003),
    (32001, 32004),
    (32001, 32005),
    (32001, 32006),
    (32006, 35001),
    (35001, 35002);

-- ---------------------------------------------------------------------------
-- Views over the header cache (real tables in 2.x)
-- ---------------------------------------------------------------------------

CREATE VIEW dbmail_fromfield AS
    SELECT physmessage_id, sortfield AS fromfield
    FROM dbmail_messages m
    JOIN dbmail_header h USING (physmessage_id)
    JOIN dbmail_headername n ON h.headername_id = n.id
    JOIN dbmail_headervalue v ON h.headervalue_id = v.id
    WHERE n.headername = 'from';

CREATE VIEW dbmail_ccfield AS
    SELECT physmessage_id, sortfield AS ccfield
    FROM dbmail_messages m
    JOIN dbmail_header h USING (physmessage_id)
    JOIN dbmail_headername n ON h.headername_id = n.id
    JOIN dbmail_headervalue v ON h.headervalue_id = v.id
    WHERE n.headername = 'cc';

CREATE VIEW dbmail_tofield AS
    SELECT physmessage_id, sortfield AS tofield
    FROM dbmail_messages m
    JOIN dbmail_header h USING (physmessage_id)
    JOIN dbmail_headername n ON h.headername_id = n.id
    JOIN dbmail_headervalue v ON h.headervalue_id = v.id
    WHERE n.headername = 'to';

-- As recreated by upgrade step 32002 (with sortfield).
CREATE VIEW dbmail_subjectfield AS
    SELECT physmessage_id, headervalue AS subjectfield, sortfield
    FROM dbmail_messages m
    JOIN dbmail_header h USING (physmessage_id)
    JOIN dbmail_headername n ON h.headername_id = n.id
    JOIN dbmail_headervalue v ON h.headervalue_id = v.id
    WHERE n.headername = 'subject';

CREATE VIEW dbmail_datefield AS
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
-- none of them can log in.
INSERT INTO dbmail_users (user_idnr, userid, passwd, encryption_type) VALUES
    (1, '__@!internal_delivery_user!@__', '', 'md5'),  -- delivery chain
    (2, 'anyone', '', 'md5'),                          -- ACL "anyone"
    (3, '__public__', '', 'md5');                      -- owner of #Public
SELECT setval('dbmail_user_idnr_seq', 3, true);

-- The header names every DBMail program inserts at startup.
INSERT INTO dbmail_headername (headername) VALUES
    ('from'), ('to'), ('cc'), ('bcc'), ('date'), ('subject'),
    ('content-type'), ('content-disposition'), ('references'),
    ('in-reply-to'), ('reply-to'), ('return-path');

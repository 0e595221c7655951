-- sql/pgsql/usermap.sql: DBMail 3.x's table of login maps, exactly as its
-- own schema (sql/pgsql/dbmail.sql) defines it. Mailwarden creates it only
-- when the admin agrees (usermap create-table, or "Create Table…" in an
-- account's Login Maps): DBMail consults login maps only when it exists.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

CREATE TABLE dbmail_usermap (
    login           VARCHAR(100) NOT NULL,
    sock_allow      VARCHAR(100) NOT NULL,
    sock_deny       VARCHAR(100) NOT NULL,
    userid          VARCHAR(100) NOT NULL
);
CREATE UNIQUE INDEX usermap_idx_1 ON dbmail_usermap (login, sock_allow, userid);

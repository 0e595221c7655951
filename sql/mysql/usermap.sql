-- sql/mysql/usermap.sql: DBMail 3.x's table of login maps, exactly as its
-- own schema (sql/mysql/dbmail.sql) defines it. Mailwarden creates it only
-- when the admin agrees (usermap create-table, or "Create Table…" in an
-- account's Login Maps): DBMail consults login maps only when it exists.
--
-- SPDX-License-Identifier: GPL-3.0-or-later

CREATE TABLE `dbmail_usermap` (
  `login`           VARCHAR(255) NOT NULL,
  `sock_allow`      VARCHAR(255) NOT NULL,
  `sock_deny`       VARCHAR(255) NOT NULL,
  `userid`          VARCHAR(255) NOT NULL,
  UNIQUE KEY `usermap_idx_1` (`login`, `sock_allow`, `userid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

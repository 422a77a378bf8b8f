-- 020: marks of the B2BUA's write transactions, for a Galera cluster
-- (docs/galera.md). With several database servers each transaction of the
-- B2BUA's writers also inserts one row here with a random token; when a
-- commit fails with its connection (the node died under it), the writer
-- looks for the token on the next node before running the writes again:
-- found, the commit was applied and nothing is written twice (the event
-- log and the agents' state log are plain inserts). Rows older than an
-- hour are removed by the writers. One server: the table stays empty.
-- Every other table the migrations create is InnoDB with a primary key,
-- as Galera needs; nothing here relies on LOCK TABLES or GET_LOCK.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS cc_write_mark (
  token CHAR(32) NOT NULL PRIMARY KEY,
  at DATETIME(3) NOT NULL,
  KEY at_idx (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

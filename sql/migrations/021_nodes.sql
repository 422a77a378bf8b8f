-- 021: several B2BUA nodes share one view of every agent (docs/cluster.md).
-- cc_agent.ver: when the agent's state last changed, in ms since the epoch,
-- strictly increasing per agent whichever node changed it; every node reads
-- the rows changed since its last look (agent_ver), and a row is only ever
-- replaced by a newer change. cc_node: each node says it is alive every
-- second; a node silent for node_dead_s is dead, and the agents it held in
-- a call are made ready again by the others.
SET NAMES utf8mb4;

ALTER TABLE cc_agent
  ADD COLUMN IF NOT EXISTS ver BIGINT NOT NULL DEFAULT 0,
  ADD KEY IF NOT EXISTS agent_ver (ver);

CREATE TABLE IF NOT EXISTS cc_node (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  started_at DATETIME(3) NOT NULL,
  seen_at DATETIME(3) NOT NULL,
  KEY seen_idx (seen_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The servers sharing this database, each with the time it last said it was alive (every 2 s), so
-- that each can take its share of a client's rate limit: the registered rate is the deployment's,
-- not each instance's. Rows are updated in place and deleted when a server stops (or a day after a
-- killed one last beat); nothing here is PHI or evidence.
CREATE TABLE server_instance (
    instance_id VARCHAR(64)              NOT NULL PRIMARY KEY,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

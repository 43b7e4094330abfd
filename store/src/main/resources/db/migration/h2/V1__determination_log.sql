-- The decision log: one row per determination a channel returned, never updated or deleted.
-- The request is stored with the member id replaced by a keyed hash (member_key, not indexed until a
-- query needs it: every index is one more write per determination); the response is
-- stored exactly as it was sent. On H2 the JSON documents are kept as UTF-8 bytes (VARBINARY): H2 writes
-- strings character by character and rewrites whole pages on each commit, bytes it copies in bulk.
CREATE TABLE determination_log (
    determination_id VARCHAR(36)              NOT NULL PRIMARY KEY,
    request_id       VARCHAR(64),
    channel          VARCHAR(32)              NOT NULL,
    decided_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    policy_id        VARCHAR(128)             NOT NULL,
    policy_version   DATE                     NOT NULL,
    engine_version   VARCHAR(64)              NOT NULL,
    status           VARCHAR(32)              NOT NULL,
    member_key       VARCHAR(80),
    request_json     VARBINARY                NOT NULL,
    response_json    VARBINARY                NOT NULL,
    logged_at        TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE INDEX determination_log_request_id ON determination_log (request_id);

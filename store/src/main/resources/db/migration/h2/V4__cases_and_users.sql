-- Organization-determination cases. The request is kept with the member's identity (the plan must
-- notify the member); the engine's recommendation is the determination JSON it returned; version
-- increases with each change (optimistic locking: two reviewers cannot both win).
CREATE TABLE review_case (
    case_id                VARCHAR(36)              NOT NULL PRIMARY KEY,
    state                  VARCHAR(16)              NOT NULL,
    received_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    expedited              BOOLEAN                  NOT NULL,
    expedited_by_physician BOOLEAN                  NOT NULL,
    part_b_drug            BOOLEAN                  NOT NULL,
    original_due_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    extension_days         INTEGER,
    extension_reason       VARCHAR(2000),
    extension_by           VARCHAR(64),
    extension_at           TIMESTAMP WITH TIME ZONE,
    request_json           VARCHAR                  NOT NULL,
    requester_json         VARCHAR                  NOT NULL,
    recommendation_json    VARCHAR,
    recommended            VARCHAR(24),
    decision_outcome       VARCHAR(24),
    decision_recommended   VARCHAR(24),
    decision_rationale     VARCHAR(4000),
    decided_by             VARCHAR(64),
    signed_by              VARCHAR(64),
    decided_at             TIMESTAMP WITH TIME ZONE,
    notified_at            TIMESTAMP WITH TIME ZONE,
    created_by             VARCHAR(64)              NOT NULL,
    version                INTEGER                  NOT NULL
);
CREATE INDEX review_case_open_due ON review_case (state, due_at);
CREATE INDEX review_case_decided_at ON review_case (decided_at);

-- The history of every case: one row per action, never changed.
CREATE TABLE case_event (
    case_id    VARCHAR(36)              NOT NULL,
    sequence   INTEGER                  NOT NULL,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    actor      VARCHAR(64)              NOT NULL,
    action     VARCHAR(32)              NOT NULL,
    from_state VARCHAR(16),
    to_state   VARCHAR(16)              NOT NULL,
    reason     VARCHAR(4000),
    PRIMARY KEY (case_id, sequence)
);
CREATE TRIGGER case_event_append_only
    BEFORE UPDATE, DELETE ON case_event
    FOR EACH ROW CALL 'org.medpolicy.store.AppendOnlyTrigger';

-- The notice each case's requester was sent (PDF), kept as sent.
CREATE TABLE case_notice (
    case_id VARCHAR(36) NOT NULL PRIMARY KEY,
    pdf     VARBINARY   NOT NULL
);

-- Workbench users: passwords as PBKDF2 hashes (algorithm, iterations, salt and hash in one string).
CREATE TABLE app_user (
    username      VARCHAR(64)              NOT NULL PRIMARY KEY,
    display_name  VARCHAR(200)             NOT NULL,
    password_hash VARCHAR(512)             NOT NULL,
    roles         VARCHAR(200)             NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    disabled_at   TIMESTAMP WITH TIME ZONE
);

-- Sessions: only a hash of the session token is stored, so a database reader cannot sign in as anyone.
CREATE TABLE user_session (
    token_hash VARCHAR(64)              NOT NULL PRIMARY KEY,
    username   VARCHAR(64)              NOT NULL,
    csrf_token VARCHAR(64)              NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

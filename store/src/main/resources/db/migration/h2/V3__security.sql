-- Registered clients: backend services (SMART Backend Services) and EHRs (CDS Hooks). Revoking sets
-- revoked_at; a client row is never deleted, so the audit keeps naming a client that existed.
CREATE TABLE api_client (
    client_id       VARCHAR(64)              NOT NULL PRIMARY KEY,
    kind            VARCHAR(16)              NOT NULL,
    issuer          VARCHAR(1024),
    jwks            VARCHAR                  NOT NULL,
    allowed_jku     VARCHAR                  NOT NULL,
    scopes          VARCHAR                  NOT NULL,
    rate_per_second INTEGER                  NOT NULL,
    burst           INTEGER                  NOT NULL,
    registered_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_client_issuer UNIQUE (issuer)
);

-- The jti of every accepted client assertion and CDS Hooks JWT until it expires: the primary key makes
-- "seen before?" and "remember it" one atomic insert, across restarts and server instances.
CREATE TABLE used_jti (
    issuer     VARCHAR(1024)            NOT NULL,
    jti        VARCHAR(256)             NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX used_jti_expires_at ON used_jti (expires_at);

-- The access audit: one row per authenticated call, no PHI (route templates, never query strings or bodies).
CREATE TABLE access_audit (
    audit_id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             TIMESTAMP WITH TIME ZONE NOT NULL,
    client_id      VARCHAR(64),
    client_kind    VARCHAR(16),
    scopes         VARCHAR(2048),
    method         VARCHAR(16)              NOT NULL,
    route          VARCHAR(256)             NOT NULL,
    status         INTEGER                  NOT NULL,
    correlation_id VARCHAR(64),
    remote_address VARCHAR(64)
);
CREATE INDEX access_audit_at ON access_audit (at);

CREATE TRIGGER access_audit_append_only
    BEFORE UPDATE, DELETE ON access_audit
    FOR EACH ROW CALL 'org.medpolicy.store.AppendOnlyTrigger';

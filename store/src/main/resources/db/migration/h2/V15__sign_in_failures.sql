-- Failed workbench sign-ins, counted for every server of a deployment at once (SignInThrottle): one
-- row per account and per address, keyed by the SHA-256 of "account:<name>" or "address:<ip>" so the
-- table does not keep what people typed as a user name. Updated in place; an account's row goes when
-- it signs in, and any row a day after its last failure once its wait is over. Nothing here is PHI.
CREATE TABLE sign_in_failure (
    throttle_key   VARCHAR(64)              NOT NULL PRIMARY KEY,
    failures       INTEGER                  NOT NULL,
    wait_until     TIMESTAMP WITH TIME ZONE,
    last_failed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sign_in_failure_last ON sign_in_failure (last_failed_at);

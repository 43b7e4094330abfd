-- PAS subscriptions: who is told when a pended prior-authorization request of an organization is decided.
CREATE TABLE decision_subscription (
    subscription_id VARCHAR(36)              NOT NULL PRIMARY KEY,
    client_id       VARCHAR(64)              NOT NULL,
    org_identifier  VARCHAR(256)             NOT NULL,
    endpoint        VARCHAR(2048)            NOT NULL,
    headers         TEXT                     NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    events_sent     INTEGER                  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX decision_subscription_org ON decision_subscription (org_identifier);

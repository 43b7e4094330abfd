-- Da Vinci PAS submissions beside their cases: the Claim identifier answers $inquire; the request
-- Bundle is kept as received, so every answer names the same patient, insurer and provider.
CREATE TABLE pas_request (
    claim_key      VARCHAR(512)             NOT NULL PRIMARY KEY,
    case_id        VARCHAR(36)              NOT NULL,
    patient_key    VARCHAR(512)             NOT NULL,
    item_sequences VARCHAR(2000)            NOT NULL,
    request_bundle TEXT                     NOT NULL,
    submitted_by   VARCHAR(100)             NOT NULL,
    submitted_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX pas_request_case ON pas_request (case_id);

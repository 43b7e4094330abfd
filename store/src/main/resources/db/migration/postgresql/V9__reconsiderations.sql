-- Reconsiderations (the member's appeal of a case's denial). The columns the queue, the deadline
-- sweep and the report select on are kept beside the whole reconsideration as JSON (its request,
-- the engine's recommendation, the decision, effectuation, IRE forwarding and decision, dismissal,
-- notices); version increases with each change (optimistic locking).
CREATE TABLE reconsideration (
    reconsideration_id VARCHAR(36)              NOT NULL PRIMARY KEY,
    case_id            VARCHAR(36)              NOT NULL REFERENCES review_case (case_id),
    state              VARCHAR(24)              NOT NULL,
    expedited          BOOLEAN                  NOT NULL,
    received_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    work_due_at        TIMESTAMP WITH TIME ZONE,
    concluded_at       TIMESTAMP WITH TIME ZONE,
    body_json          TEXT                     NOT NULL,
    version            INTEGER                  NOT NULL
);
CREATE INDEX reconsideration_case ON reconsideration (case_id);
CREATE INDEX reconsideration_work_due ON reconsideration (work_due_at);
CREATE INDEX reconsideration_concluded ON reconsideration (concluded_at);

-- The history of every reconsideration: one row per action, never changed.
CREATE TABLE reconsideration_event (
    reconsideration_id VARCHAR(36)              NOT NULL,
    sequence           INTEGER                  NOT NULL,
    at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    actor              VARCHAR(64)              NOT NULL,
    action             VARCHAR(32)              NOT NULL,
    from_state         VARCHAR(24),
    to_state           VARCHAR(24)              NOT NULL,
    reason             VARCHAR(4000),
    PRIMARY KEY (reconsideration_id, sequence)
);

-- Documents kept as produced: the notices as sent, the IRE case file (PDF and bundle). Never changed.
CREATE TABLE reconsideration_document (
    reconsideration_id VARCHAR(36)              NOT NULL,
    kind               VARCHAR(40)              NOT NULL,
    content_type       VARCHAR(100)             NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    body               BYTEA                    NOT NULL,
    PRIMARY KEY (reconsideration_id, kind)
);

-- A physician's credentials, printed on the notices they sign ("MD, hematology and oncology").
ALTER TABLE app_user ADD COLUMN credentials VARCHAR(200);

CREATE FUNCTION reconsideration_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reconsideration_event_append_only
    BEFORE UPDATE OR DELETE ON reconsideration_event
    FOR EACH ROW EXECUTE FUNCTION reconsideration_is_append_only();
CREATE TRIGGER reconsideration_document_append_only
    BEFORE UPDATE OR DELETE ON reconsideration_document
    FOR EACH ROW EXECUTE FUNCTION reconsideration_is_append_only();

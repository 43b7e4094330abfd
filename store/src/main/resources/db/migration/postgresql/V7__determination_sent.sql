-- What a channel sent for a determination when that is not the determination itself (a CDS Hooks
-- response, a PAS response Bundle), byte for byte, beside it; append-only like the log. No foreign
-- key: the two are written by separate group commits, the determination always first.
CREATE TABLE determination_sent (
    determination_id VARCHAR(36)              NOT NULL PRIMARY KEY,
    channel          VARCHAR(32)              NOT NULL,
    content_type     VARCHAR(100)             NOT NULL,
    sent_json        TEXT                     NOT NULL,
    logged_at        TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE FUNCTION determination_sent_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'determination_sent is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER determination_sent_append_only
    BEFORE UPDATE OR DELETE ON determination_sent
    FOR EACH ROW EXECUTE FUNCTION determination_sent_is_append_only();

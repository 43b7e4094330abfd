-- Append-only, enforced by the database itself: an UPDATE or DELETE of the decision log fails.
CREATE FUNCTION determination_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'determination_log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER determination_log_append_only
    BEFORE UPDATE OR DELETE ON determination_log
    FOR EACH ROW EXECUTE FUNCTION determination_log_is_append_only();

-- Append-only on H2: the trigger class rejects every UPDATE and DELETE of the decision log.
CREATE TRIGGER determination_log_append_only
    BEFORE UPDATE, DELETE ON determination_log
    FOR EACH ROW CALL 'org.medpolicy.store.AppendOnlyTrigger';

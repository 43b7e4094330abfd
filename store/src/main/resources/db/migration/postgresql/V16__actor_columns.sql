-- Who acted is a username (at most 64 characters) or "client:" and a client id (at most 64): up to
-- 71 characters, which the 64 these columns held could not take, so a client with a long id
-- failed only after its determination was logged. 100, as determination_log.made_by already is.
ALTER TABLE review_case ALTER COLUMN extension_by TYPE VARCHAR(100);
ALTER TABLE review_case ALTER COLUMN decided_by TYPE VARCHAR(100);
ALTER TABLE review_case ALTER COLUMN signed_by TYPE VARCHAR(100);
ALTER TABLE review_case ALTER COLUMN created_by TYPE VARCHAR(100);
ALTER TABLE case_event ALTER COLUMN actor TYPE VARCHAR(100);
ALTER TABLE reconsideration_event ALTER COLUMN actor TYPE VARCHAR(100);

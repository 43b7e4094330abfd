-- Free text is sealed at rest (PhiSeal: AES-GCM, base64url, with the key's id): a sealed value is
-- about 4/3 of its text plus 45 characters, so the columns that hold free text lose their bounds.
-- How long a reason or rationale may be is the API's rule (it answers 422 beyond it), not the
-- column's.
ALTER TABLE review_case ALTER COLUMN extension_reason SET DATA TYPE VARCHAR;
ALTER TABLE review_case ALTER COLUMN decision_rationale SET DATA TYPE VARCHAR;
ALTER TABLE case_event ALTER COLUMN reason SET DATA TYPE VARCHAR;
ALTER TABLE reconsideration_event ALTER COLUMN reason SET DATA TYPE VARCHAR;

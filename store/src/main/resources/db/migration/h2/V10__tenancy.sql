-- Tenancy: a backend client acts for the organizations it is registered for, and sees only what it
-- submitted or was sent.

-- The organizations (NPIs) a client may submit prior-authorization requests and subscribe for,
-- space-separated; none for clients registered before this (they may do neither until given some).
ALTER TABLE api_client ADD COLUMN organizations VARCHAR DEFAULT '' NOT NULL;

-- A PAS request belongs to the client that submitted it: two clients may use the same Claim
-- identifier without learning of each other, and one never finds the other's.
ALTER TABLE pas_request ADD COLUMN client_id VARCHAR(64);
UPDATE pas_request SET client_id = CASE WHEN submitted_by LIKE 'client:%' THEN SUBSTRING(submitted_by, 8) ELSE submitted_by END;
ALTER TABLE pas_request ALTER COLUMN client_id SET NOT NULL;
ALTER TABLE pas_request DROP PRIMARY KEY;
ALTER TABLE pas_request ADD PRIMARY KEY (client_id, claim_key);

-- Who asked for each determination (client:ID, or a person's username); null on rows logged before.
-- Adding a column is not an update of a row, so the append-only trigger lets it through.
ALTER TABLE determination_log ADD COLUMN made_by VARCHAR(100);

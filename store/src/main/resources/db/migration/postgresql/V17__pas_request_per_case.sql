-- A client may give one claim identifier to more than one request of the same member (the PAS test
-- kit sends its approval, denial and pended examples under one): each is its own case, and the
-- identifier names the newest. One row per case, then, not per identifier.
ALTER TABLE pas_request DROP CONSTRAINT pas_request_pkey;
ALTER TABLE pas_request ADD PRIMARY KEY (client_id, claim_key, case_id);

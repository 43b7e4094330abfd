-- One row the server rewrites to prove the store takes writes again after a failure (a full disk):
-- the only table medpolicy updates in place; it holds nothing but the time of the last proof.
CREATE TABLE store_probe (
    id         INT                      NOT NULL PRIMARY KEY,
    checked_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO store_probe (id, checked_at) VALUES (1, CURRENT_TIMESTAMP);

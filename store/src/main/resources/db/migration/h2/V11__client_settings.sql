-- The FHIR servers an EHR's CDS Hooks calls may have medpolicy read from when prefetch lacks what a
-- hook needs (newline-separated base URLs), and whether they may be http or on a private address
-- (an explicit allowance, for an EHR on a private network or a test server). None for EHRs
-- registered before this: they are never fetched from until given some.
ALTER TABLE api_client ADD COLUMN fhir_servers VARCHAR DEFAULT '' NOT NULL;
ALTER TABLE api_client ADD COLUMN fhir_servers_private BOOLEAN DEFAULT FALSE NOT NULL;

-- The CRD version (major.minor) an EHR's hook calls are answered in when they request none, and the
-- DTR version a client's questionnaire packages are named for when it does not declare one; null:
-- the latest medpolicy serves.
ALTER TABLE api_client ADD COLUMN crd_version VARCHAR(16);
ALTER TABLE api_client ADD COLUMN dtr_version VARCHAR(16);

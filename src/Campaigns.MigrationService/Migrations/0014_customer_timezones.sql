-- Each customer's IANA time zone (api.md, "Timing"): the one given, else the first zone libphonenumber's
-- mapper gives for the phone (UTC when it knows none). Stored when the row is written, so the send-window
-- SQL reads it with AT TIME ZONE and never derives anything.
--
-- Nullable on purpose. The zone is derived in C# (libphonenumber has no SQL form), so this script cannot
-- fill the rows that exist now, and rows written by SQL around the API (bulk loads, demo data, tests) come
-- without one. The API writes a zone with every customer it creates, changes or imports, and the
-- migrations service fills every NULL after each run (CustomerTimeZoneBackfill, set-based in batches),
-- so a NULL lives only from such a write until the next migrations run. A NOT NULL column would refuse
-- those writes, and a later migration adding it would fail on a database upgraded across both at once
-- (the backfill runs after the scripts).
ALTER TABLE customers ADD COLUMN timezone text;

-- What the backfill looks for: empty once it has run, so finding nothing left stays one index probe.
CREATE INDEX idx_customers_without_timezone ON customers (id) WHERE timezone IS NULL;

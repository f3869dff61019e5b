-- Suspected resets (a cumulative register dropped without a rollover or a recorded replacement) awaiting a person's
-- confirmation: one row per flagged reading, kept in step with the readings in the ingest transaction.
CREATE TABLE reset_suspects (
  meter_id BIGINT NOT NULL REFERENCES meters(id),
  ts BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (meter_id, ts)
);
-- A meter whose register resets as a matter of course: a drop counts as a reset from zero.
ALTER TABLE meters ADD COLUMN resets_normal BOOLEAN NOT NULL DEFAULT FALSE;

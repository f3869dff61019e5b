-- Evaluations (issue 16): one row per park, standard (tca305 | bfia043 | gcp) and year, holding the evaluator's inputs (JSON:
-- item scores, ticked sub-items, declarations, declared offset ratio, weights), the snapshot of the last saved result (JSON, as
-- the CLI prints it), its total and grade, and who evaluated and saved it. Evidence files per item are stored with the row.
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  standard TEXT NOT NULL,
  year INTEGER NOT NULL,
  inputs TEXT NOT NULL,
  result TEXT,
  total REAL,
  grade TEXT,
  evaluator TEXT NOT NULL,
  saved_at BIGINT NOT NULL,
  saved_by TEXT NOT NULL,
  UNIQUE (park_id, standard, year)
);
CREATE TABLE evaluation_evidence (
  id INTEGER PRIMARY KEY,
  evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
  item TEXT NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  content BLOB NOT NULL,
  uploaded_at BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL
);
CREATE INDEX evaluation_evidence_item ON evaluation_evidence (evaluation_id, item);

-- Users, roles and park-level access (issue 5). Passwords are PBKDF2-SHA256 hashes with a per-user salt
-- ("pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>"); never the password. role is one of administrator, energy_manager,
-- carbon_accountant, auditor, viewer, data_entry. An administrator sees every park; everyone else only the parks in
-- user_parks. failed_count counts consecutive failed sign-ins; 5 lock the account until locked_until (Unix seconds).
-- security_stamp changes with the password, role, grants or state, which ends the user's existing sessions.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_count INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT,
  security_stamp TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_sign_in BIGINT
);
CREATE TABLE user_parks (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  park_id INTEGER NOT NULL REFERENCES parks(id),
  PRIMARY KEY (user_id, park_id)
);

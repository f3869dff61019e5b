-- Meter codes keep the case they were given (M1, PDU-A1) and are matched ignoring case: two meters of one park whose
-- codes differ only by case are one meter. Codes are ASCII (letters, digits, '_', '.', '-'), so lower() is exact on both
-- databases. Codes registered before were lowercase only, so no existing park can hold two such codes.
CREATE UNIQUE INDEX IF NOT EXISTS meters_park_code_nocase ON meters (park_id, lower(code));

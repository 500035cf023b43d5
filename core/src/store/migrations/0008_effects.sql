-- Schema 8 (issue #13): administration events carry their effects, and a number is
-- unique in its series.
-- Never edit a shipped migration: add a new file instead.

-- JSON array of effects (accounts and roles, authority lines, delegations, signing
-- keys) of an administration event; covered by the event's hash when present.
ALTER TABLE audit_events ADD COLUMN effects TEXT;

-- The numbering series a document was numbered in (set by the register and by an
-- imported issued document); with the number it is unique, so no number is issued twice.
ALTER TABLE documents ADD COLUMN series TEXT;
CREATE UNIQUE INDEX documents_number_in_series ON documents (series, CAST(number AS INTEGER)) WHERE series IS NOT NULL;

-- Digital signatures with legal value (issue #16).
-- Trusted root and intermediate certificates, imported by an administrator.
CREATE TABLE trusted_certificates (
    id           INTEGER PRIMARY KEY,
    fingerprint  TEXT    NOT NULL UNIQUE,   -- SHA-256 of the DER, hex
    der          BLOB    NOT NULL,
    subject      TEXT    NOT NULL,
    issuer       TEXT    NOT NULL,
    not_before   TEXT    NOT NULL,
    not_after    TEXT    NOT NULL,
    added_at     TEXT    NOT NULL,
    added_by     INTEGER REFERENCES users(id)
) STRICT;

-- A certificate whose name differs from the person record, bound by an administrator
-- to a user (a person's signature) or an agency (its seal).
CREATE TABLE certificate_bindings (
    fingerprint  TEXT    NOT NULL PRIMARY KEY,
    user_id      INTEGER REFERENCES users(id),
    agency_id    INTEGER REFERENCES agencies(id),
    added_at     TEXT    NOT NULL,
    CHECK ((user_id IS NULL) <> (agency_id IS NULL))
) STRICT;

-- The exact bytes of a document's signed PDF after each signing step (the signer's
-- signature at `sign`, the agency's seal at `issue`); the latest is the document.
CREATE TABLE signed_pdfs (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    step         TEXT    NOT NULL CHECK (step IN ('sign', 'issue')),
    bytes        BLOB    NOT NULL,
    sha256       TEXT    NOT NULL,
    signer       TEXT    NOT NULL,          -- certificate subject
    fingerprint  TEXT    NOT NULL,          -- certificate SHA-256
    signed_at    TEXT    NOT NULL,
    UNIQUE (document_id, step)
) STRICT;
CREATE TRIGGER signed_pdfs_immutable BEFORE UPDATE ON signed_pdfs
BEGIN SELECT RAISE(ABORT, 'signed PDFs are immutable'); END;
CREATE TRIGGER signed_pdfs_no_delete BEFORE DELETE ON signed_pdfs
BEGIN SELECT RAISE(ABORT, 'signed PDFs are immutable'); END;

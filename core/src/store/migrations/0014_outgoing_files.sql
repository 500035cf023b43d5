-- Vanthu schema: files of outgoing documents (issue #16, items 2 and 4).
-- Portable SQL (plain types, no SQLite-only syntax). Never edit a shipped migration.
--
-- `blobs` is the content-addressed store (SHA-256, lower-case hex) that received
-- files use too; it is created here only if it does not exist yet, with the same
-- definition, so either migration may come first.
CREATE TABLE IF NOT EXISTS blobs (
    sha256      TEXT    NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0 AND size <= 52428800),
    bytes       BLOB    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE TRIGGER IF NOT EXISTS blobs_no_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'tệp đã lưu không được sửa (stored files are immutable)'); END;

-- Files attached to a draft: appendices in separate files and supporting documents.
-- They travel with the draft, are signed by the agency at issue and delivered with it.
CREATE TABLE draft_attachments (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    position     INTEGER NOT NULL CHECK (position >= 1),
    sha256       TEXT    NOT NULL REFERENCES blobs(sha256),
    kind         TEXT    NOT NULL CHECK (kind IN ('appendix', 'supporting')),
    name         TEXT    NOT NULL CHECK (name <> ''),
    media_type   TEXT    NOT NULL,
    attached_at  TEXT    NOT NULL,
    attached_by  INTEGER REFERENCES users(id),
    UNIQUE (document_id, position)
);
CREATE TRIGGER draft_attachments_no_update BEFORE UPDATE ON draft_attachments
BEGIN SELECT RAISE(ABORT, 'tệp đính kèm không được sửa (attachments are immutable)'); END;

-- The agency's signature on each attachment at issue: a PAdES signature for a PDF,
-- a detached CMS signature (.p7s) for any other file. `signed_sha256` is the blob of
-- the signed PDF or of the .p7s.
CREATE TABLE attachment_signatures (
    id             INTEGER PRIMARY KEY,
    attachment_id  INTEGER NOT NULL UNIQUE REFERENCES draft_attachments(id),
    form           TEXT    NOT NULL CHECK (form IN ('pades', 'cms')),
    signed_sha256  TEXT    NOT NULL REFERENCES blobs(sha256),
    signer         TEXT    NOT NULL,
    fingerprint    TEXT    NOT NULL,
    signed_at      TEXT    NOT NULL
);
CREATE TRIGGER attachment_signatures_immutable BEFORE UPDATE ON attachment_signatures
BEGIN SELECT RAISE(ABORT, 'chữ ký số đã lưu không được sửa (signatures are immutable)'); END;
CREATE TRIGGER attachment_signatures_no_delete BEFORE DELETE ON attachment_signatures
BEGIN SELECT RAISE(ABORT, 'chữ ký số đã lưu không được xóa (signatures are immutable)'); END;

-- Signature and seal images bound by the administrator to a person (the
-- handwritten signature shown in the signer's box) or an agency (its seal).
CREATE TABLE signing_images (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER REFERENCES people(id),
    agency_id   INTEGER REFERENCES agencies(id),
    sha256      TEXT    NOT NULL REFERENCES blobs(sha256),
    added_at    TEXT    NOT NULL,
    added_by    INTEGER REFERENCES users(id),
    CHECK ((person_id IS NULL) <> (agency_id IS NULL))
);
CREATE INDEX signing_images_by_person ON signing_images (person_id);
CREATE INDEX signing_images_by_agency ON signing_images (agency_id);

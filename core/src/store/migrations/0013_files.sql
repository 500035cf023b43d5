-- Vanthu schema 13: files received with incoming letters (issue #16, item 3).
-- Content-addressed storage inside the office database: each distinct content is
-- one row of `blobs`, keyed by its SHA-256 (lower-case hex); a letter links to its
-- files with the name, media type and kind of each link. Stored bytes never change:
-- blobs and links refuse UPDATE, a linked blob refuses DELETE, links refuse DELETE.
-- Each check of a file (signature validation, scan quality) is appended to
-- `incoming_file_checks`; the latest is the one shown.
-- Portable SQL (plain types, no SQLite-only syntax): the same tables on PostgreSQL.
-- Never edit a shipped migration: add a new file instead.

CREATE TABLE blobs (
    sha256      TEXT    NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0 AND size <= 52428800),
    bytes       BLOB    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE incoming_files (
    id           INTEGER PRIMARY KEY,
    incoming_id  INTEGER NOT NULL REFERENCES incoming(id),
    position     INTEGER NOT NULL CHECK (position >= 1),
    sha256       TEXT    NOT NULL REFERENCES blobs(sha256),
    kind         TEXT    NOT NULL CHECK (kind IN ('letter', 'scan', 'attachment')),
    name         TEXT    NOT NULL CHECK (name <> ''),
    media_type   TEXT    NOT NULL,
    attached_at  TEXT    NOT NULL,
    attached_by  INTEGER REFERENCES users(id),
    UNIQUE (incoming_id, position)
);
CREATE INDEX incoming_files_by_blob ON incoming_files (sha256);

CREATE TABLE incoming_file_checks (
    id          INTEGER PRIMARY KEY,
    file_id     INTEGER NOT NULL REFERENCES incoming_files(id),
    checked_at  TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('valid', 'untrusted', 'invalid', 'unsigned', 'not_pdf')),
    summary     TEXT    NOT NULL,
    report      TEXT    NOT NULL,          -- JSON: the report lines and the scan's warnings
    reason      TEXT    NOT NULL           -- receipt, trust, archive-import
);
CREATE INDEX incoming_file_checks_by_file ON incoming_file_checks (file_id);

CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'tệp đã lưu không được sửa (stored files are immutable)'); END;
CREATE TRIGGER blobs_linked_no_delete BEFORE DELETE ON blobs
WHEN EXISTS (SELECT 1 FROM incoming_files WHERE sha256 = OLD.sha256)
BEGIN SELECT RAISE(ABORT, 'tệp đã lưu đang được dùng, không xóa được (a linked file cannot be deleted)'); END;
CREATE TRIGGER incoming_files_no_update BEFORE UPDATE ON incoming_files
BEGIN SELECT RAISE(ABORT, 'tệp của văn bản đến không được sửa (received files are immutable)'); END;
CREATE TRIGGER incoming_files_no_delete BEFORE DELETE ON incoming_files
BEGIN SELECT RAISE(ABORT, 'tệp của văn bản đến không được xóa (received files are kept)'); END;
CREATE TRIGGER incoming_file_checks_no_update BEFORE UPDATE ON incoming_file_checks
BEGIN SELECT RAISE(ABORT, 'kết quả kiểm tra chỉ được ghi thêm (checks are append-only)'); END;
CREATE TRIGGER incoming_file_checks_no_delete BEFORE DELETE ON incoming_file_checks
BEGIN SELECT RAISE(ABORT, 'kết quả kiểm tra chỉ được ghi thêm (checks are append-only)'); END;

-- Archive (NĐ 30 Điều 28–31, Phụ lục V, VI): the file plan (danh mục hồ sơ), closing
-- and reopening dossiers, read-only closed dossiers, the search index, imported
-- archive packages.

-- The file plan: large heading (Roman numeral + name) and its abbreviation, which
-- ends the dossier symbol (`01.TH`); sub-heading; the retention table item; the
-- Phụ lục VI fields; the closing note (chứng từ kết thúc) and, for permanent files,
-- the document index (mục lục văn bản, JSON) written when the dossier is closed.
ALTER TABLE dossiers ADD COLUMN heading TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN heading_code TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN subheading TEXT;
ALTER TABLE dossiers ADD COLUMN retention_item TEXT;
ALTER TABLE dossiers ADD COLUMN description TEXT;
ALTER TABLE dossiers ADD COLUMN language TEXT NOT NULL DEFAULT 'Tiếng Việt';
ALTER TABLE dossiers ADD COLUMN rights TEXT NOT NULL DEFAULT 'Hạn chế';
ALTER TABLE dossiers ADD COLUMN closing_note TEXT;
ALTER TABLE dossiers ADD COLUMN document_index TEXT;
ALTER TABLE dossiers ADD COLUMN closed_at TEXT;
ALTER TABLE dossiers ADD COLUMN created_at TEXT;
CREATE INDEX dossiers_by_year ON dossiers (year, agency_id);

-- Incoming documents are filed too (a document belongs to at most one dossier: one column).
ALTER TABLE incoming ADD COLUMN dossier_id INTEGER REFERENCES dossiers(id);
CREATE INDEX documents_by_dossier ON documents (dossier_id) WHERE dossier_id IS NOT NULL;
CREATE INDEX incoming_by_dossier ON incoming (dossier_id) WHERE dossier_id IS NOT NULL;

-- A closed dossier is read-only: only reopening (closed 1 → 0, nothing else) passes.
CREATE TRIGGER dossiers_closed_are_read_only BEFORE UPDATE ON dossiers
WHEN OLD.closed = 1 AND (NEW.closed = 1 OR NEW.title IS NOT OLD.title OR NEW.code IS NOT OLD.code
     OR NEW.year IS NOT OLD.year OR NEW.agency_id IS NOT OLD.agency_id
     OR NEW.retention_years IS NOT OLD.retention_years OR NEW.start_date IS NOT OLD.start_date)
BEGIN
    SELECT RAISE(ABORT, 'hồ sơ đã đóng chỉ được đọc (closed dossier is read-only)');
END;

CREATE TRIGGER dossiers_closed_are_kept BEFORE DELETE ON dossiers
WHEN OLD.closed = 1
BEGIN
    SELECT RAISE(ABORT, 'hồ sơ đã đóng không được xóa (closed dossier cannot be deleted)');
END;

CREATE TRIGGER documents_of_closed_dossiers_update BEFORE UPDATE ON documents
WHEN EXISTS (SELECT 1 FROM dossiers WHERE closed = 1 AND id IN (OLD.dossier_id, NEW.dossier_id))
BEGIN
    SELECT RAISE(ABORT, 'văn bản thuộc hồ sơ đã đóng chỉ được đọc (document of a closed dossier is read-only)');
END;

CREATE TRIGGER documents_of_closed_dossiers_insert BEFORE INSERT ON documents
WHEN EXISTS (SELECT 1 FROM dossiers WHERE closed = 1 AND id = NEW.dossier_id)
BEGIN
    SELECT RAISE(ABORT, 'hồ sơ đã đóng chỉ được đọc (closed dossier is read-only)');
END;

CREATE TRIGGER documents_of_closed_dossiers_delete BEFORE DELETE ON documents
WHEN EXISTS (SELECT 1 FROM dossiers WHERE closed = 1 AND id = OLD.dossier_id)
BEGIN
    SELECT RAISE(ABORT, 'văn bản thuộc hồ sơ đã đóng không được xóa (document of a closed dossier is kept)');
END;

CREATE TRIGGER incoming_of_closed_dossiers_update BEFORE UPDATE ON incoming
WHEN EXISTS (SELECT 1 FROM dossiers WHERE closed = 1 AND id IN (OLD.dossier_id, NEW.dossier_id))
BEGIN
    SELECT RAISE(ABORT, 'văn bản thuộc hồ sơ đã đóng chỉ được đọc (document of a closed dossier is read-only)');
END;

CREATE TRIGGER incoming_of_closed_dossiers_delete BEFORE DELETE ON incoming
WHEN EXISTS (SELECT 1 FROM dossiers WHERE closed = 1 AND id = OLD.dossier_id)
BEGIN
    SELECT RAISE(ABORT, 'văn bản thuộc hồ sơ đã đóng không được xóa (document of a closed dossier is kept)');
END;

-- Audit events about dossiers: the subject CHECK gains 'dossier'. SQLite cannot alter
-- a CHECK, so the table is rebuilt with the same rows (the chain hashes cover the
-- values, not the rowids, so `verify` is unaffected). DROP TABLE fires no triggers.
CREATE TABLE audit_events_v7 (
    id            INTEGER PRIMARY KEY,
    at            TEXT    NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    username      TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    subject       TEXT    NOT NULL CHECK (subject IN ('document', 'incoming', 'dossier', 'system')),
    subject_id    INTEGER,
    action        TEXT    NOT NULL,
    state_before  TEXT,
    state_after   TEXT,
    content_hash  TEXT,
    comment       TEXT,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL UNIQUE
) STRICT;
INSERT INTO audit_events_v7 SELECT id, at, user_id, username, role, subject, subject_id, action, state_before,
       state_after, content_hash, comment, prev_hash, hash FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_v7 RENAME TO audit_events;
CREATE INDEX audit_events_by_subject ON audit_events (subject, subject_id);

CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'nhật ký chỉ được ghi thêm (audit log is append-only)');
END;

CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'nhật ký chỉ được ghi thêm (audit log is append-only)');
END;

-- Search: one FTS5 row per document (key id*4), incoming document (id*4+1) and
-- dossier (id*4+2). Columns: `exact` is the NFC lower-case text (diacritics kept, so
-- an accented query ranks exact spellings first), `folded` the same text folded in
-- Rust (lower case, marks removed, đ→d: no tokenizer folds đ), `meta` the filter
-- tokens (y2026, k…, s…, u…, d…). The tokenizer keeps diacritics (remove_diacritics 0)
-- because the folding is done before indexing and the exact column must keep them.
-- Contentless: the text lives in the base tables. Prefix indexes of 2 and 3
-- characters keep search-as-you-type fast.
CREATE VIRTUAL TABLE search_fts USING fts5(
    exact, folded, meta,
    content = '', contentless_delete = 1, prefix = '2 3',
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Rows whose index entry must be recomputed; `Store` drains it inside every write
-- transaction (and at open), so the index commits with the data it describes.
CREATE TABLE search_pending (key INTEGER PRIMARY KEY) STRICT;

CREATE TRIGGER search_documents_insert AFTER INSERT ON documents
BEGIN INSERT OR IGNORE INTO search_pending (key) VALUES (NEW.id * 4); END;
CREATE TRIGGER search_documents_update AFTER UPDATE ON documents
BEGIN INSERT OR IGNORE INTO search_pending (key) VALUES (NEW.id * 4); END;
CREATE TRIGGER search_documents_delete AFTER DELETE ON documents
BEGIN INSERT OR IGNORE INTO search_pending (key) VALUES (OLD.id * 4); END;
CREATE TRIGGER search_incoming_insert AFTER INSERT ON incoming
BEGIN INSERT OR IGNORE INTO search_pending (key) VALUES (NEW.id * 4 + 1); END;
CREATE TRIGGER search_incoming_update AFTER UPDATE ON incoming
BEGIN INSERT OR IGNORE INTO search_pending (key) VALUES (NEW.id * 4 + 1); END;
CREATE TRIGGER search_incoming_delete AFTER DELETE ON incoming
BEGIN INSERT OR IGNORE INTO search_pending (key) VALUES (OLD.id * 4 + 1); END;
CREATE TRIGGER search_dossiers_insert AFTER INSERT ON dossiers
BEGIN INSERT OR IGNORE INTO search_pending (key) VALUES (NEW.id * 4 + 2); END;
CREATE TRIGGER search_dossiers_update AFTER UPDATE ON dossiers
BEGIN
    INSERT OR IGNORE INTO search_pending (key) VALUES (NEW.id * 4 + 2);
    INSERT OR IGNORE INTO search_pending (key) SELECT id * 4 FROM documents WHERE dossier_id = NEW.id;
    INSERT OR IGNORE INTO search_pending (key) SELECT id * 4 + 1 FROM incoming WHERE dossier_id = NEW.id;
END;
CREATE TRIGGER search_dossiers_delete AFTER DELETE ON dossiers
BEGIN INSERT OR IGNORE INTO search_pending (key) VALUES (OLD.id * 4 + 2); END;

INSERT OR IGNORE INTO search_pending (key) SELECT id * 4 FROM documents;
INSERT OR IGNORE INTO search_pending (key) SELECT id * 4 + 1 FROM incoming;

-- Archive packages imported into this database: the package's manifest hash and the
-- audit events it carried (JSON lines), kept as received.
CREATE TABLE archive_imports (
    id               INTEGER PRIMARY KEY,
    dossier_id       INTEGER NOT NULL REFERENCES dossiers(id),
    manifest_sha256  TEXT    NOT NULL,
    audit_jsonl      TEXT    NOT NULL,
    imported_at      TEXT    NOT NULL
) STRICT;

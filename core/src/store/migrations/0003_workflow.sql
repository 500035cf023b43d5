-- Workflow: the append-only, hash-chained audit log and the numbering registers.

CREATE TABLE audit_events (
    id            INTEGER PRIMARY KEY,
    at            TEXT    NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    username      TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    subject       TEXT    NOT NULL CHECK (subject IN ('document', 'incoming', 'system')),
    subject_id    INTEGER,
    action        TEXT    NOT NULL,
    state_before  TEXT,
    state_after   TEXT,
    content_hash  TEXT,
    comment       TEXT,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL UNIQUE
) STRICT;
CREATE INDEX audit_events_by_subject ON audit_events (subject, subject_id);

CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'nhật ký chỉ được ghi thêm (audit log is append-only)');
END;

CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'nhật ký chỉ được ghi thêm (audit log is append-only)');
END;

-- One row per numbering series (state: agency and year, secret apart; Party: kind
-- and committee term). `last_number` moves inside the transaction that numbers a
-- document, so numbers are unique and gap-free.
CREATE TABLE number_registers (
    series       TEXT    PRIMARY KEY,
    last_number  INTEGER NOT NULL CHECK (last_number >= 0)
) STRICT;

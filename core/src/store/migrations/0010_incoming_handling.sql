-- Vanthu schema 10: incoming handling as offices do it (issue #14). The leader's
-- bút phê, co-handlers (phối hợp) beside the lead handler (chủ trì), progress notes,
-- extension requests and their decisions, how the letter came, its pages and
-- secrecy, and the note that closed it (NĐ 30/2020 Điều 20–24).
-- Never edit a shipped migration: add a new file instead.

ALTER TABLE incoming ADD COLUMN direction TEXT;
ALTER TABLE incoming ADD COLUMN pages INTEGER CHECK (pages IS NULL OR pages BETWEEN 1 AND 100000);
ALTER TABLE incoming ADD COLUMN secrecy TEXT CHECK (secrecy IS NULL OR secrecy IN ('mat', 'toi-mat', 'tuyet-mat'));
ALTER TABLE incoming ADD COLUMN received_via TEXT
    CHECK (received_via IS NULL OR received_via IN ('paper', 'electronic', 'fax', 'hand'));
ALTER TABLE incoming ADD COLUMN closing_note TEXT;

CREATE TABLE incoming_cohandlers (
    incoming_id  INTEGER NOT NULL REFERENCES incoming(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (incoming_id, user_id)
) STRICT;

CREATE TABLE incoming_notes (
    id           INTEGER PRIMARY KEY,
    incoming_id  INTEGER NOT NULL REFERENCES incoming(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    at           TEXT    NOT NULL,
    text         TEXT    NOT NULL CHECK (text <> '')
) STRICT;
CREATE INDEX incoming_notes_by_letter ON incoming_notes (incoming_id);

CREATE TABLE incoming_extensions (
    id                  INTEGER PRIMARY KEY,
    incoming_id         INTEGER NOT NULL REFERENCES incoming(id),
    requested_by        INTEGER NOT NULL REFERENCES users(id),
    requested_at        TEXT    NOT NULL,
    reason              TEXT    NOT NULL CHECK (reason <> ''),
    previous_deadline   TEXT,
    requested_deadline  TEXT    NOT NULL,
    state               TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'granted', 'refused', 'withdrawn')),
    decided_by          INTEGER REFERENCES users(id),
    decided_at          TEXT,
    decision_note       TEXT
) STRICT;
CREATE UNIQUE INDEX incoming_extensions_one_pending ON incoming_extensions (incoming_id) WHERE state = 'pending';

-- Vanthu schema 15: opinions of the people who co-handle an incoming letter (ý kiến
-- phối hợp, NĐ 30/2020 Điều 24; the lead handler answers for the result and reads
-- them on the letter's card). Written by a co-handler or the lead handler; kept.
-- Portable SQL (issue #15): plain types, no STRICT.
-- Never edit a shipped migration: add a new file instead.

CREATE TABLE incoming_opinions (
    id           INTEGER PRIMARY KEY,
    incoming_id  INTEGER NOT NULL REFERENCES incoming(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    at           TEXT    NOT NULL,
    text         TEXT    NOT NULL CHECK (text <> '')
);
CREATE INDEX incoming_opinions_by_letter ON incoming_opinions (incoming_id);

-- The authority matrix: which position of an agency may sign which kind of document
-- (NĐ 30 Điều 13; QĐ 66-QĐ/TW Điều 2; HD 36 1.7.1 "quyền hạn ký văn bản … phải được
-- quy định bằng văn bản"). `kind` is a kind code or '*' for every kind.
CREATE TABLE authority_matrix (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    position_id  INTEGER NOT NULL REFERENCES positions(id),
    kind         TEXT    NOT NULL CHECK (kind <> ''),
    UNIQUE (agency_id, position_id, kind)
) STRICT;

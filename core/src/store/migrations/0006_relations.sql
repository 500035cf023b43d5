-- Links between documents: a công văn đính chính corrects a format error of an issued
-- document; a document of the same kind replaces one with a content error (Điều 18.3).
CREATE TABLE document_relations (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    related_id   INTEGER NOT NULL REFERENCES documents(id),
    relation     TEXT    NOT NULL CHECK (relation IN ('corrects', 'replaces')),
    UNIQUE (document_id, related_id, relation)
) STRICT;

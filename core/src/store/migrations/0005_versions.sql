-- Every version of a document's content, kept and comparable (issue: new version on edit).
CREATE TABLE document_versions (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    content_json  TEXT    NOT NULL,
    content_hash  TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    UNIQUE (document_id, version)
) STRICT;

CREATE TRIGGER document_versions_append_only_update BEFORE UPDATE ON document_versions
BEGIN
    SELECT RAISE(ABORT, 'phiên bản đã lưu không được sửa (versions are append-only)');
END;

CREATE TRIGGER document_versions_append_only_delete BEFORE DELETE ON document_versions
BEGIN
    SELECT RAISE(ABORT, 'phiên bản đã lưu không được xóa (versions are append-only)');
END;

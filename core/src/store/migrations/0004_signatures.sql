-- Sign-off (NĐ 30 Điều 13): each user's Ed25519 key (private key encrypted with a
-- key derived from the password), the signatures, and the immutability of what was
-- signed.

CREATE TABLE user_keys (
    user_id            INTEGER PRIMARY KEY REFERENCES users(id),
    public_key         TEXT    NOT NULL,
    encrypted_private  TEXT    NOT NULL,
    salt               TEXT    NOT NULL,
    nonce              TEXT    NOT NULL,
    created_at         TEXT    NOT NULL
) STRICT;

CREATE TABLE signatures (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    public_key    TEXT    NOT NULL,
    content_hash  TEXT    NOT NULL,
    signature     TEXT    NOT NULL,
    signed_at     TEXT    NOT NULL
) STRICT;

-- The exact content signed; set once.
ALTER TABLE documents ADD COLUMN signed_content TEXT;

CREATE TRIGGER signed_content_is_final BEFORE UPDATE OF signed_content ON documents
WHEN OLD.signed_content IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'nội dung đã ký không được sửa (signed content is immutable)');
END;

-- After signing only the register may add the number, symbol and date.
CREATE TRIGGER signed_text_is_final BEFORE UPDATE OF content_json ON documents
WHEN OLD.signed_content IS NOT NULL
  AND json_remove(NEW.content_json, '$.number', '$.notation', '$.date')
      IS NOT json_remove(OLD.signed_content, '$.number', '$.notation', '$.date')
BEGIN
    SELECT RAISE(ABORT, 'nội dung đã ký không được sửa (signed content is immutable)');
END;

CREATE TRIGGER signed_documents_are_kept BEFORE DELETE ON documents
WHEN OLD.signed_content IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'văn bản đã ký không được xóa (signed documents cannot be deleted)');
END;

CREATE TRIGGER signatures_append_only_update BEFORE UPDATE ON signatures
BEGIN
    SELECT RAISE(ABORT, 'chữ ký không được sửa (signatures are append-only)');
END;

CREATE TRIGGER signatures_append_only_delete BEFORE DELETE ON signatures
BEGIN
    SELECT RAISE(ABORT, 'chữ ký không được xóa (signatures are append-only)');
END;

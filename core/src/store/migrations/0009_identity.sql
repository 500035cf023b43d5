-- Authority bound to identity (issue #12).
-- Never edit a shipped migration: add a new file instead.

-- "Serves": the administrator records which agency's office serves which agency
-- (the Văn phòng Tỉnh ủy serves the Tỉnh ủy and its advisory bodies). An agency
-- always serves itself; only other agencies are recorded.
CREATE TABLE agency_services (
    provider_id  INTEGER NOT NULL REFERENCES agencies(id),
    served_id    INTEGER NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (provider_id, served_id),
    CHECK (provider_id <> served_id)
) STRICT;

-- The drafter may share a draft with the colleagues of the drafting unit.
ALTER TABLE documents ADD COLUMN shared_with_unit INTEGER NOT NULL DEFAULT 0 CHECK (shared_with_unit IN (0, 1));

-- Passwords: an administrator's reset forces a change at the next login.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));

-- Failed logins, kept by the name typed (known or not, so both answer alike): after
-- 5 consecutive failures the name waits 30 s, doubling up to 15 min.
CREATE TABLE login_throttle (
    username      TEXT    PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until  TEXT
) STRICT;

-- A reset retires the user's signing key (a new one is made at the next signature);
-- signatures keep their public key, so old signatures still verify.
CREATE TABLE retired_user_keys (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    public_key  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    retired_at  TEXT    NOT NULL
) STRICT;
CREATE TRIGGER retired_user_keys_append_only_update BEFORE UPDATE ON retired_user_keys
BEGIN
    SELECT RAISE(ABORT, 'khóa đã thu hồi chỉ được ghi thêm (retired keys are append-only)');
END;
CREATE TRIGGER retired_user_keys_append_only_delete BEFORE DELETE ON retired_user_keys
BEGIN
    SELECT RAISE(ABORT, 'khóa đã thu hồi chỉ được ghi thêm (retired keys are append-only)');
END;

-- Delegations gain `Q` (giao quyền cấp trưởng, NĐ 30 Phụ lục I: "Q.").
CREATE TABLE delegations_v2 (
    id                INTEGER PRIMARY KEY,
    kind              TEXT    NOT NULL CHECK (kind IN ('TL', 'TUQ', 'T/L', 'Q')),
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    from_position_id  INTEGER NOT NULL REFERENCES positions(id),
    to_person_id      INTEGER NOT NULL REFERENCES people(id),
    scope_json        TEXT    NOT NULL DEFAULT '[]',
    valid_from        TEXT    NOT NULL,
    valid_until       TEXT    NOT NULL CHECK (valid_until >= valid_from),
    basis             TEXT    NOT NULL,
    UNIQUE (kind, from_position_id, to_person_id, valid_from)
) STRICT;
INSERT INTO delegations_v2 (id, kind, agency_id, from_position_id, to_person_id, scope_json, valid_from, valid_until, basis)
    SELECT id, kind, agency_id, from_position_id, to_person_id, scope_json, valid_from, valid_until, basis FROM delegations;
DROP TABLE delegations;
ALTER TABLE delegations_v2 RENAME TO delegations;

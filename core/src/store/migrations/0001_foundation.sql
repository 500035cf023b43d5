-- Vanthu schema 1: organisation, accounts, documents, incoming mail, dossiers.
-- Never edit a shipped migration: add a new file instead.

CREATE TABLE agencies (
    id            INTEGER PRIMARY KEY,
    family        TEXT    NOT NULL CHECK (family IN ('state', 'party')),
    parent_id     INTEGER REFERENCES agencies(id),
    parent_name   TEXT,
    name          TEXT    NOT NULL CHECK (name <> ''),
    short_name    TEXT    NOT NULL,
    abbreviation  TEXT    NOT NULL CHECK (abbreviation <> ''),
    place         TEXT    NOT NULL,
    collective    INTEGER NOT NULL DEFAULT 0 CHECK (collective IN (0, 1)),
    address       TEXT,
    phone         TEXT,
    email         TEXT
) STRICT;
CREATE UNIQUE INDEX agencies_identity ON agencies (family, coalesce(parent_name, ''), name);

CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    name          TEXT    NOT NULL CHECK (name <> ''),
    abbreviation  TEXT    NOT NULL CHECK (abbreviation <> ''),
    UNIQUE (agency_id, abbreviation)
) STRICT;

CREATE TABLE positions (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    title      TEXT    NOT NULL CHECK (title <> ''),
    rank       TEXT    NOT NULL CHECK (rank IN ('head', 'deputy', 'unit_head', 'unit_deputy', 'staff')),
    UNIQUE (agency_id, title)
) STRICT;

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT    NOT NULL CHECK (full_name <> ''),
    agency_id    INTEGER REFERENCES agencies(id),
    unit_id      INTEGER REFERENCES units(id),
    position_id  INTEGER REFERENCES positions(id)
) STRICT;

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE CHECK (username <> ''),
    full_name      TEXT    NOT NULL,
    person_id      INTEGER REFERENCES people(id),
    agency_id      INTEGER REFERENCES agencies(id),
    password_hash  TEXT    NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT    NOT NULL
) STRICT;

CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    role     TEXT    NOT NULL CHECK (role IN ('drafter', 'unit_head', 'leader', 'van_thu', 'archivist', 'admin')),
    PRIMARY KEY (user_id, role)
) STRICT;

CREATE TABLE delegations (
    id                INTEGER PRIMARY KEY,
    kind              TEXT    NOT NULL CHECK (kind IN ('TL', 'TUQ', 'T/L')),
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    from_position_id  INTEGER NOT NULL REFERENCES positions(id),
    to_person_id      INTEGER NOT NULL REFERENCES people(id),
    scope_json        TEXT    NOT NULL DEFAULT '[]',
    valid_from        TEXT    NOT NULL,
    valid_until       TEXT    NOT NULL CHECK (valid_until >= valid_from),
    basis             TEXT    NOT NULL,
    UNIQUE (kind, from_position_id, to_person_id, valid_from)
) STRICT;

CREATE TABLE dossiers (
    id                     INTEGER PRIMARY KEY,
    agency_id              INTEGER NOT NULL REFERENCES agencies(id),
    year                   INTEGER NOT NULL,
    code                   TEXT    NOT NULL,
    title                  TEXT    NOT NULL,
    retention_years        INTEGER NOT NULL DEFAULT 0,
    responsible_person_id  INTEGER REFERENCES people(id),
    start_date             TEXT,
    end_date               TEXT,
    closed                 INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    UNIQUE (agency_id, year, code)
) STRICT;

CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    family            TEXT    NOT NULL CHECK (family IN ('state', 'party')),
    kind              TEXT    NOT NULL,
    agency_id         INTEGER REFERENCES agencies(id),
    unit_id           INTEGER REFERENCES units(id),
    drafter_id        INTEGER REFERENCES users(id),
    signer_person_id  INTEGER REFERENCES people(id),
    number            TEXT,
    notation          TEXT,
    year              INTEGER,
    date              TEXT,
    subject           TEXT,
    issuer_name       TEXT    NOT NULL,
    signer_name       TEXT    NOT NULL,
    urgency           TEXT,
    secrecy           TEXT,
    state             TEXT    NOT NULL CHECK (state IN ('draft', 'content_review', 'format_check',
                          'awaiting_signature', 'signed', 'numbered', 'issued', 'filed', 'returned', 'recalled')),
    dossier_id        INTEGER REFERENCES dossiers(id),
    content_json      TEXT    NOT NULL,
    content_hash      TEXT    NOT NULL,
    source_key        TEXT    UNIQUE,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
) STRICT;
CREATE INDEX documents_by_state ON documents (state);
CREATE INDEX documents_by_agency_year ON documents (agency_id, year);

CREATE TABLE incoming (
    id                 INTEGER PRIMARY KEY,
    agency_id          INTEGER NOT NULL REFERENCES agencies(id),
    arrival_year       INTEGER NOT NULL,
    arrival_number     INTEGER,
    arrival_date       TEXT    NOT NULL,
    sender             TEXT    NOT NULL CHECK (sender <> ''),
    number             TEXT,
    notation           TEXT,
    date               TEXT,
    kind               TEXT    NOT NULL,
    subject            TEXT    NOT NULL,
    urgency            TEXT,
    state              TEXT    NOT NULL CHECK (state IN ('received', 'registered', 'presented',
                           'assigned', 'in_progress', 'done')),
    handler_id         INTEGER REFERENCES users(id),
    lead_unit_id       INTEGER REFERENCES units(id),
    deadline           TEXT,
    reply_document_id  INTEGER REFERENCES documents(id),
    source_key         TEXT    UNIQUE,
    created_at         TEXT    NOT NULL,
    UNIQUE (agency_id, arrival_year, arrival_number)
) STRICT;
CREATE INDEX incoming_by_state ON incoming (state);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;

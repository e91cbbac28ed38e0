-- Reference architecture: replaced as a whole by `easf refdata load`.
CREATE TABLE members (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    iso3166  BIGINT NOT NULL,
    source   TEXT NOT NULL
);

CREATE TABLE forums (
    id              TEXT PRIMARY KEY,
    position        BIGINT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    established     TEXT,
    ended           TEXT,
    functions       TEXT NOT NULL,
    decision        TEXT NOT NULL,
    includes        TEXT NOT NULL,
    includes_reason TEXT,
    secretariat     TEXT,
    source          TEXT NOT NULL,
    notes           TEXT
);

CREATE TABLE memberships (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    forum    TEXT NOT NULL REFERENCES forums (id),
    member   TEXT NOT NULL REFERENCES members (code),
    joined   TEXT,
    left_on  TEXT,
    source   TEXT NOT NULL,
    note     TEXT
);

-- Access: users act for a member's agency; tokens are stored only as hashes.
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    member      TEXT NOT NULL,
    agency      TEXT NOT NULL,
    role        TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    CONSTRAINT users_name_key UNIQUE (name)
);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    hash        TEXT NOT NULL,
    label       TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT,
    revoked_ms  BIGINT,
    CONSTRAINT api_tokens_hash_key UNIQUE (hash)
);

-- Every write and every refused request: who, when, what.
CREATE TABLE audit_events (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms    BIGINT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    detail   TEXT NOT NULL
);

-- Sharing: signed record versions in an append-only Merkle log, the
-- current state of each record for search, signed tree heads, the node's
-- public key and sharing groups.

-- One row per accepted version. `seq` is the leaf's index in the log;
-- `document` is the RFC 8785 canonical JSON that was signed and hashed.
CREATE TABLE record_log (
    seq        BIGINT PRIMARY KEY,
    record_id  TEXT NOT NULL,
    version    BIGINT NOT NULL,
    document   TEXT NOT NULL,
    signature  TEXT NOT NULL,
    leaf_hash  TEXT NOT NULL,
    UNIQUE (record_id, version)
);

-- The latest version of each record, with the columns search filters on.
-- Derived from record_log; `easf verify` checks that it still agrees.
CREATE TABLE records (
    record_id        TEXT PRIMARY KEY,
    seq              BIGINT NOT NULL,
    version          BIGINT NOT NULL,
    originator       TEXT NOT NULL,
    retracted        BIGINT NOT NULL,
    kind             TEXT,
    function         TEXT,
    title            TEXT,
    search_text      TEXT,
    observed_ms      BIGINT NOT NULL,
    reported_ms      BIGINT NOT NULL,
    created_ms       BIGINT NOT NULL,
    west             DOUBLE PRECISION,
    south            DOUBLE PRECISION,
    east             DOUBLE PRECISION,
    north            DOUBLE PRECISION,
    tlp              TEXT NOT NULL,
    audience_type    TEXT NOT NULL,
    audience_ref     TEXT,
    audience_members TEXT,
    source_ref       TEXT UNIQUE
);
-- Two covering indexes serve searches: they hold every column a filter,
-- the audience clause, the counts and the facets read, in result order
-- (newest observation first, then id), so a search scans one index range
-- without touching the table, and a page stops after `limit` entries.
CREATE INDEX records_by_function ON records (
    function, observed_ms DESC, record_id DESC, retracted, west, east, south, north,
    kind, originator, tlp, audience_type, audience_ref, audience_members
);
CREATE INDEX records_by_time ON records (
    observed_ms DESC, record_id DESC, retracted, function, west, east, south, north,
    kind, originator, tlp, audience_type, audience_ref, audience_members
);

CREATE TABLE tree_heads (
    tree_size    BIGINT PRIMARY KEY,
    root_hash    TEXT NOT NULL,
    timestamp_ms BIGINT NOT NULL,
    signature    TEXT NOT NULL
);

-- The key that signs this database's log; set once.
CREATE TABLE node_identity (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    public_key TEXT NOT NULL,
    member     TEXT
);

CREATE TABLE sharing_groups (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    owner      TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE sharing_group_members (
    group_id TEXT NOT NULL REFERENCES sharing_groups (id),
    member   TEXT NOT NULL,
    PRIMARY KEY (group_id, member)
);

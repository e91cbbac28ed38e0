-- Search indexes a bulk import dropped, with the statement that rebuilds
-- each. The import rebuilds them when it ends; if it never ends (a crash),
-- the next open of the store does. See records/bulk.rs.
CREATE TABLE deferred_indexes (
    name       TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);

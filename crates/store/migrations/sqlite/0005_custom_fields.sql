-- Admin-defined customer fields (CUST-1), their values, and per-user list preferences
-- (CUST-5: the columns a user chose).

CREATE TABLE customer_fields (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL,
    -- text | number | date | choice
    kind TEXT NOT NULL,
    -- For choice: the options, one per line.
    choices TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customer_fields_label ON customer_fields (lower(label));

-- Only non-empty values are kept. `value` is the normal form (wharf_core::custom_field);
-- `num` repeats a number field's value as a number, for comparisons.
CREATE TABLE customer_field_values (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES customer_fields(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    num REAL,
    PRIMARY KEY (customer_id, field_id)
);
CREATE INDEX customer_field_values_field ON customer_field_values (field_id, value);

CREATE TABLE user_prefs (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
);

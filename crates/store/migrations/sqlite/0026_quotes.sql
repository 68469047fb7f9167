-- Issue 18: quotes (报价单 / PI). A quote has a yearly number (Q2026-0001), belongs to
-- one customer and to its owner (who made it), and has versions: v1, v2 … Each version
-- carries its own header (contact, currency, the exchange rate of that day against the
-- base currency with the day it is from, Incoterm, ports, payment terms, validity,
-- notes), its status and its lines. An approved or sent version is never changed:
-- editing it makes the next version. Amounts are exact decimals stored as text.
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number_year INTEGER NOT NULL,
    number_seq INTEGER NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    -- The latest version (the one lists show).
    current_version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (number_year, number_seq)
);
CREATE INDEX quotes_customer ON quotes (customer_id, created_at);
CREATE INDEX quotes_owner ON quotes (owner_id, updated_at);

CREATE TABLE quote_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    -- An opportunity it started from (issue 18's deals), when any.
    opportunity_id INTEGER,
    currency TEXT NOT NULL,
    rate TEXT NOT NULL,
    rate_base TEXT NOT NULL,
    -- YYYY-MM-DD: the day the rate is from (the latest on or before the quote's day).
    rate_on TEXT NOT NULL,
    incoterm TEXT,
    port_loading TEXT NOT NULL DEFAULT '',
    port_destination TEXT NOT NULL DEFAULT '',
    payment_terms TEXT NOT NULL DEFAULT '',
    quote_date TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    total TEXT NOT NULL,
    max_discount TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    submitted_at INTEGER,
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    decline_reason TEXT NOT NULL DEFAULT '',
    sent_at INTEGER,
    -- The mail it went out with (the outgoing message), when sent from Wharf.
    sent_message_id INTEGER,
    UNIQUE (quote_id, version)
);
CREATE INDEX quote_versions_status ON quote_versions (status, submitted_at);

CREATE TABLE quote_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id INTEGER NOT NULL REFERENCES quote_versions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- item or group
    kind TEXT NOT NULL,
    product_id INTEGER,
    name TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    quantity TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    discount TEXT NOT NULL,
    amount TEXT NOT NULL,
    UNIQUE (version_id, position)
);

-- The letterhead's logo (one row): a small image in the blob store.
CREATE TABLE letterhead_logo (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    blob_hash TEXT NOT NULL,
    content_type TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Customers and contacts (SPEC CUST-1..4, BASE-5): the record, its owners (personal,
-- collaborative, or none for the shared pool), contacts, the addresses / numbers /
-- sites that duplicate checks compare, tags, the owner log and the field history.

CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    party_kind TEXT NOT NULL DEFAULT 'customer',
    name TEXT NOT NULL,
    -- The name as duplicates compare it (wharf_core::customer::name_key): unique.
    name_key TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    type_id INTEGER REFERENCES dict_items(id),
    status_id INTEGER REFERENCES dict_items(id),
    source_id INTEGER REFERENCES dict_items(id),
    industry_id INTEGER REFERENCES dict_items(id),
    country_id INTEGER REFERENCES dict_items(id),
    stage TEXT NOT NULL DEFAULT 'reserve',
    city TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    phones TEXT NOT NULL DEFAULT '',
    fax TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    main_products TEXT NOT NULL DEFAULT '',
    profile TEXT NOT NULL DEFAULT '',
    scale TEXT NOT NULL DEFAULT '',
    rating INTEGER NOT NULL DEFAULT 0,
    follow INTEGER NOT NULL DEFAULT 0,
    next_revisit_at INTEGER,
    tags TEXT NOT NULL DEFAULT '',
    -- Lower-case name, short name, keywords, city and tags: what the list's search box
    -- looks in, as one column (one LIKE instead of four LOWER()s per row).
    search_text TEXT NOT NULL DEFAULT '',
    -- personal | collaborative | shared (the public pool)
    sharing TEXT NOT NULL DEFAULT 'personal',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customers_name_key ON customers (name_key);
CREATE INDEX customers_sharing ON customers (sharing, updated_at);
CREATE INDEX customers_updated ON customers (updated_at, id);
CREATE INDEX customers_stage ON customers (stage, updated_at);
CREATE INDEX customers_revisit ON customers (next_revisit_at) WHERE next_revisit_at IS NOT NULL;

CREATE TABLE customer_owners (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    since INTEGER NOT NULL,
    PRIMARY KEY (customer_id, user_id)
);
CREATE INDEX customer_owners_user ON customer_owners (user_id, customer_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    emails TEXT NOT NULL DEFAULT '',
    phones TEXT NOT NULL DEFAULT '',
    whatsapp TEXT NOT NULL DEFAULT '',
    wechat TEXT NOT NULL DEFAULT '',
    skype TEXT NOT NULL DEFAULT '',
    qq TEXT NOT NULL DEFAULT '',
    linkedin TEXT NOT NULL DEFAULT '',
    birthday TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_primary INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id);

-- Every e-mail address, phone number and website of a customer and its contacts, in
-- the normal form duplicate checks (and, later, mail linking) look up.
CREATE TABLE customer_keys (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
    -- email | phone | website
    kind TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX customer_keys_lookup ON customer_keys (kind, value);
CREATE INDEX customer_keys_customer ON customer_keys (customer_id);

-- Owner changes (CUST-3): create, claim, release, transfer, collaborators.
CREATE TABLE customer_owner_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    before_owners TEXT NOT NULL DEFAULT '',
    after_owners TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_owner_log_customer ON customer_owner_log (customer_id, at);
-- Claims from the pool per user and day, for the daily quota.
CREATE INDEX customer_owner_log_claims ON customer_owner_log (user_id, action, at);

-- Field history (BASE-5): every change with old and new value, who and when.
CREATE TABLE customer_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_history_customer ON customer_history (customer_id, at);

-- Imports from xlsx / CSV (CUST-6): the uploaded file, its column mapping and batch
-- settings, the user's corrections per row, and the outcome. Nothing is written to
-- customers until the user runs it, and then all rows in one transaction.
CREATE TABLE customer_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    data BLOB NOT NULL,
    mapping TEXT NOT NULL DEFAULT '[]',
    owner TEXT NOT NULL DEFAULT 'me',
    stage TEXT NOT NULL DEFAULT 'reserve',
    allow_existing INTEGER NOT NULL DEFAULT 0,
    fixes TEXT NOT NULL DEFAULT '{}',
    -- new | mapped | running | done | failed
    state TEXT NOT NULL DEFAULT 'new',
    report TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX customer_imports_user ON customer_imports (user_id, created_at);

-- Saved column mappings (header name → field), per user.
CREATE TABLE customer_import_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mapping TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customer_import_templates_name ON customer_import_templates (user_id, name);

-- Documents (CUST-7): files kept with a customer, in the blob store.
CREATE TABLE customer_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    blob_hash TEXT NOT NULL REFERENCES blobs(hash),
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX customer_documents_customer ON customer_documents (customer_id, created_at);

-- Groups (CUST-1): company-wide, a customer in several.
CREATE TABLE customer_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customer_groups_name ON customer_groups (lower(name));
CREATE TABLE customer_group_members (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES customer_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, group_id)
);
CREATE INDEX customer_group_members_group ON customer_group_members (group_id, customer_id);

-- Saved list queries (CUST-5): the list's URL query (filters, conditions, sort), per user.
CREATE TABLE customer_saved_queries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customer_saved_queries_name ON customer_saved_queries (user_id, name);

-- Issue 18 (PIPE-3): the sales kit of the tracking screen. Sales scripts (话术): a
-- personal one has its writer as `owner_id`, a reference one (company-wide, managed by
-- holders of `sales_kit`) has none. Competitors (同行), with the customers that also buy
-- from them. `search_text` holds the lower-cased words a search matches.
CREATE TABLE sales_scripts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX sales_scripts_owner ON sales_scripts (owner_id, category, title);
CREATE TABLE competitors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    website TEXT NOT NULL DEFAULT '',
    country_id INTEGER REFERENCES dict_items(id) ON DELETE SET NULL,
    products TEXT NOT NULL DEFAULT '',
    strengths TEXT NOT NULL DEFAULT '',
    weaknesses TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX competitors_name ON competitors (name_key);
CREATE TABLE customer_competitors (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    competitor_id INTEGER NOT NULL REFERENCES competitors(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, competitor_id)
);
CREATE INDEX customer_competitors_competitor ON customer_competitors (competitor_id);
-- Who manages the kit: the general and department managers, as the preset roles say.
UPDATE roles SET permissions = permissions || ',sales_kit'
WHERE code IN ('general_manager', 'department_manager')
  AND (',' || permissions || ',') NOT LIKE '%,sales_kit,%';

-- Issue 18 (PIPE-7): the product catalog. A product has a type (a `product_type`
-- dictionary item), names in English and Chinese, model, spec, unit, HS code, MOQ and
-- lead time; `model_key` (the lower-cased model, NULL without one) keeps models unique;
-- `search_text` holds the lower-cased words a search matches. Amounts and quantities are
-- exact decimal text, never floats.
CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type_id INTEGER REFERENCES dict_items(id) ON DELETE SET NULL,
    name_en TEXT NOT NULL DEFAULT '',
    name_zh TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    model_key TEXT,
    spec TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    hs_code TEXT NOT NULL DEFAULT '',
    moq TEXT,
    lead_time_days INTEGER,
    description TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    search_text TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX products_model ON products (model_key) WHERE model_key IS NOT NULL;
CREATE INDEX products_active ON products (active, id);
CREATE INDEX products_type ON products (type_id) WHERE type_id IS NOT NULL;
-- Price tiers: per currency, from a quantity on, a unit price.
CREATE TABLE product_prices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    currency TEXT NOT NULL,
    min_qty TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX product_prices_product ON product_prices (product_id, currency);
-- Pictures and documents, in the blob store like customer documents.
CREATE TABLE product_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    blob_hash TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX product_files_product ON product_files (product_id, kind);
CREATE INDEX product_files_blob ON product_files (blob_hash);
-- `products` now means managing the catalog (everyone signed in views it). It did
-- nothing before; the salesperson and service presets no longer hold it.
UPDATE roles SET permissions = TRIM(REPLACE(',' || permissions || ',', ',products,', ','), ',')
WHERE code IN ('salesperson', 'service');

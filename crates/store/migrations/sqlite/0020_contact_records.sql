-- Issue 18: contact records (跟进记录). A record belongs to one customer (and, when
-- given, one of its contacts), has an author, a kind, content, the follow-up progress
-- (a `followup_stage` dictionary item), when it happened, the next revisit day and an
-- optional reminder. `reminded_at` is set once, by the reminder sweep, when the
-- reminder was pushed. The customer keeps `last_contacted_at` (the latest contact that
-- was not a note) beside the existing `next_revisit_at`, both written in the same
-- transaction as the record, for the workbench's counts.
CREATE TABLE contact_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    progress_id INTEGER REFERENCES dict_items(id) ON DELETE SET NULL,
    happened_at INTEGER NOT NULL,
    -- YYYY-MM-DD in the company's calendar.
    next_revisit TEXT,
    remind_at INTEGER,
    reminded_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX contact_records_customer ON contact_records (customer_id, happened_at);
CREATE INDEX contact_records_author ON contact_records (author_id, happened_at);
CREATE INDEX contact_records_happened ON contact_records (happened_at);
CREATE INDEX contact_records_reminders ON contact_records (remind_at) WHERE reminded_at IS NULL AND remind_at IS NOT NULL;
ALTER TABLE customers ADD COLUMN last_contacted_at INTEGER;
CREATE INDEX customers_contacted ON customers (last_contacted_at) WHERE last_contacted_at IS NOT NULL;
-- The workbench's counts read only these columns: a covering index (a customer row is
-- wide; scanning the table reads every page of it).
CREATE INDEX customers_workbench ON customers (stage, sharing, next_revisit_at, last_contacted_at, created_at);

-- Issue 18: dated exchange rates. One row per currency per day: one unit of `currency`
-- is worth `per_unit` of `base` (the company's base currency when it was entered; a
-- later change of the base leaves these rows unused rather than wrong). `per_unit` is
-- exact decimal text, never a float. The rate used on a day is the latest on or before
-- it (`day` is YYYY-MM-DD, which sorts as text).
CREATE TABLE exchange_rates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    currency TEXT NOT NULL,
    base TEXT NOT NULL,
    day TEXT NOT NULL,
    per_unit TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX exchange_rates_day ON exchange_rates (base, currency, day);
-- Who may manage them: the roles that administer the system, as the preset roles do.
UPDATE roles SET permissions = permissions || ',exchange_rates'
WHERE (',' || permissions || ',') LIKE '%,system_admin,%'
  AND (',' || permissions || ',') NOT LIKE '%,exchange_rates,%';

-- Issue 18 (PIPE-1, PIPE-8): pipelines and their stages as data, the customer's
-- pipeline and per-stage flag, the log of stage and flag changes, and per-stage rights
-- of a role. Keep in step with postgres/0019_pipelines.sql.

CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- A stage's key is unique over all pipelines (customers.stage holds it); its role is
-- one of seed 003's five (core::pipeline::StageRole) and decides flags and rights.
CREATE TABLE pipeline_stages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_zh TEXT NOT NULL,
    position INTEGER NOT NULL,
    probability INTEGER NOT NULL DEFAULT 0,
    rotting_days INTEGER
);
CREATE INDEX pipeline_stages_pipeline ON pipeline_stages (pipeline_id, position);

INSERT INTO pipelines (id, name_en, name_zh, position, is_default, created_at)
VALUES (1, 'Sales', '销售主线', 0, 1, 0);
INSERT INTO pipeline_stages (pipeline_id, key, role, label_en, label_zh, position, probability, rotting_days) VALUES
    (1, 'reserve', 'reserve', 'Reserve', '储备客户', 1, 0, NULL),
    (1, 'target', 'target', 'Target', '目标客户', 2, 10, 14),
    (1, 'prospect', 'prospect', 'Prospect', '潜在客户', 3, 30, 14),
    (1, 'opportunity', 'opportunity', 'Opportunity', '商机客户', 4, 60, 7),
    (1, 'won', 'won', 'Won', '成交客户', 5, 100, 30);

-- SQLite cannot add a column with both REFERENCES and a non-NULL default; the store
-- refuses to delete a pipeline that customers are in.
ALTER TABLE customers ADD COLUMN pipeline_id INTEGER NOT NULL DEFAULT 1;
-- not_contacted | contacted (reserve, target) | tracking | paused (prospect on).
ALTER TABLE customers ADD COLUMN stage_flag TEXT NOT NULL DEFAULT 'not_contacted';
UPDATE customers SET stage_flag = 'tracking' WHERE stage IN ('prospect', 'opportunity', 'won');
CREATE INDEX customers_stage_flag ON customers (stage, stage_flag, updated_at);

-- Every stage move and flag change: who, when, from, to, why. `kind` is `stage` or
-- `flag`; opportunity records will add their selling / paused / ended as their own kind
-- with `opportunity_id` set.
CREATE TABLE customer_stage_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    opportunity_id INTEGER,
    at INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    from_value TEXT NOT NULL DEFAULT '',
    to_value TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_stage_log_customer ON customer_stage_log (customer_id, at);

-- A role's rights per stage role, where an admin changed the defaults
-- (core::pipeline::StageRights::preset); `edit_fields` is `*` or registry keys.
CREATE TABLE role_stage_rights (
    role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    stage_role TEXT NOT NULL,
    edit_fields TEXT NOT NULL,
    may_claim INTEGER NOT NULL,
    may_promote INTEGER NOT NULL,
    may_demote INTEGER NOT NULL,
    PRIMARY KEY (role_id, stage_role)
);

-- Issue 18 (PIPE-5): opportunities (商机) and the pipelines they move through. Keep in
-- step with the other dialect's 0025_opportunities.sql.

-- A pipeline applies to customers (seed 003's five stages) or to opportunities
-- (Pipedrive-like open stages; won / lost are outcomes of an ended opportunity, not
-- stages). Opportunity stages take the role 'opportunity': every one of them is worked
-- while the customer is an opportunity customer.
ALTER TABLE pipelines ADD COLUMN applies_to TEXT NOT NULL DEFAULT 'customers';
INSERT INTO pipelines (name_en, name_zh, position, is_default, created_at, applies_to)
VALUES ('Opportunities', '商机', 1, 0, 0, 'opportunities');
INSERT INTO pipeline_stages (pipeline_id, key, role, label_en, label_zh, position, probability, rotting_days)
SELECT id, 'deal_qualified', 'opportunity', 'Qualified', '初步接洽', 1, 10, 14 FROM pipelines WHERE applies_to = 'opportunities';
INSERT INTO pipeline_stages (pipeline_id, key, role, label_en, label_zh, position, probability, rotting_days)
SELECT id, 'deal_needs', 'opportunity', 'Needs defined', '需求确认', 2, 30, 10 FROM pipelines WHERE applies_to = 'opportunities';
INSERT INTO pipeline_stages (pipeline_id, key, role, label_en, label_zh, position, probability, rotting_days)
SELECT id, 'deal_proposal', 'opportunity', 'Proposal', '方案报价', 3, 50, 7 FROM pipelines WHERE applies_to = 'opportunities';
INSERT INTO pipeline_stages (pipeline_id, key, role, label_en, label_zh, position, probability, rotting_days)
SELECT id, 'deal_negotiation', 'opportunity', 'Negotiation', '谈判', 4, 70, 7 FROM pipelines WHERE applies_to = 'opportunities';

-- Amounts are exact decimals as text (rust_decimal's canonical form); never floats.
-- `status` is selling | paused | ended; an ended one has
-- an `outcome` (won | lost) and, when lost, a reason. `activity_at` is the last time
-- it was changed or moved (rotting counts from it and the customer's last contact).
CREATE TABLE opportunities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id INTEGER NOT NULL REFERENCES pipeline_stages(id),
    status TEXT NOT NULL,
    outcome TEXT,
    lost_reason TEXT NOT NULL DEFAULT '',
    amount TEXT NOT NULL,
    -- The amount in the currency's minor units (cents), exact since the amount is
    -- rounded to them: the board sums it in SQL per stage and currency.
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    amount_from_lines INTEGER NOT NULL DEFAULT 0,
    probability INTEGER NOT NULL,
    close_date TEXT,
    next_revisit TEXT,
    competitors TEXT NOT NULL DEFAULT '',
    owner_id INTEGER NOT NULL REFERENCES users(id),
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    activity_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX opportunities_customer ON opportunities (customer_id, created_at);
CREATE INDEX opportunities_board ON opportunities (pipeline_id, status, stage_id, activity_at);
CREATE INDEX opportunities_owner ON opportunities (owner_id, status);
CREATE INDEX opportunities_revisit ON opportunities (next_revisit) WHERE next_revisit IS NOT NULL;

-- Collaborators (协同) beside the owner: they see it under Mine.
CREATE TABLE opportunity_collaborators (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (opportunity_id, user_id)
);
CREATE INDEX opportunity_collaborators_user ON opportunity_collaborators (user_id);

-- Lines: a product (once the catalog has them: product_id) or a name, a quantity, a
-- unit and a unit price in the opportunity's currency.
CREATE TABLE opportunity_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    product_id INTEGER,
    name TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    unit_price TEXT NOT NULL
);
CREATE INDEX opportunity_lines_opportunity ON opportunity_lines (opportunity_id, position);

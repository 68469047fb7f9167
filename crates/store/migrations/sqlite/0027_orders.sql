-- Issue 18 (PIPE-6): orders (订单). An order has a yearly number (O2026-0001), belongs to
-- one customer, has a seller (销售人: "my orders") and a follower (跟单人: "orders to
-- follow"), its status step (confirmed → in_production → shipped → delivered → closed, or
-- cancelled) and seed 003's follow flag (active 正进行 | paused 已暂停). An order made from
-- a quote keeps the quote's currency and stored rate; one order per quote. Amounts are
-- exact decimals stored as text. Keep in step with the other dialect's 0027_orders.sql.
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number_year INTEGER NOT NULL,
    number_seq INTEGER NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    quote_id INTEGER REFERENCES quotes(id) ON DELETE SET NULL,
    opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
    seller_id INTEGER NOT NULL REFERENCES users(id),
    follower_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    follow TEXT NOT NULL DEFAULT 'active',
    currency TEXT NOT NULL,
    rate TEXT NOT NULL,
    rate_base TEXT NOT NULL,
    rate_on TEXT NOT NULL,
    total TEXT NOT NULL,
    ordered_on TEXT NOT NULL,
    payment_terms TEXT NOT NULL DEFAULT '',
    etd TEXT,
    eta TEXT,
    port_loading TEXT NOT NULL DEFAULT '',
    port_destination TEXT NOT NULL DEFAULT '',
    carrier TEXT NOT NULL DEFAULT '',
    bl_number TEXT NOT NULL DEFAULT '',
    containers TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    delivered_on TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (number_year, number_seq)
);
CREATE UNIQUE INDEX orders_quote ON orders (quote_id) WHERE quote_id IS NOT NULL;
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE INDEX orders_follower ON orders (follower_id, status, follow);
CREATE INDEX orders_seller ON orders (seller_id, status);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    product_id INTEGER,
    name TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    quantity TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    discount TEXT NOT NULL DEFAULT '0',
    amount TEXT NOT NULL,
    UNIQUE (order_id, position)
);

-- Deposit / balance / other: amount in the order's currency, due and received days.
CREATE TABLE order_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    amount TEXT NOT NULL,
    due_on TEXT,
    received_on TEXT,
    UNIQUE (order_id, position)
);

-- The export documents and where each stands (not_needed | pending | ready | sent).
CREATE TABLE order_documents (
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (order_id, kind)
);

-- The order's follow-up log (跟单记录): status moves, flag changes and notes.
CREATE TABLE order_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    from_value TEXT NOT NULL DEFAULT '',
    to_value TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order ON order_events (order_id, at);

-- The after-sales revisit planned when an order is delivered (the desk shows it).
CREATE TABLE order_revisits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    due_on TEXT NOT NULL,
    done_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (order_id)
);
CREATE INDEX order_revisits_due ON order_revisits (user_id, due_on) WHERE done_at IS NULL;

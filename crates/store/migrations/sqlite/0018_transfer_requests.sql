-- Issue 17 (LINK-6): a salesperson blocked by a colleague's customer asks for it. The
-- owner or a manager over her approves (ownership moves, audited) or declines with an
-- answer the requester reads. One pending request per requester and customer.
CREATE TABLE transfer_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    requester_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending',
    decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    answer TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE UNIQUE INDEX transfer_requests_one_pending ON transfer_requests (customer_id, requester_id) WHERE state = 'pending';
CREATE INDEX transfer_requests_requester ON transfer_requests (requester_id, created_at);
CREATE INDEX transfer_requests_state ON transfer_requests (state, customer_id);

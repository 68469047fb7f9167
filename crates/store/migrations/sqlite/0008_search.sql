-- Search (FIND-1): every change to what the search index holds is appended to
-- `search_changes` by triggers, in the writing transaction, so no write path can forget
-- it. Each app node keeps its own index and applies the log from where its last index
-- commit stopped (see wharf-search). Rows are pruned after a while; `search_state`
-- records up to where, and a generation that `wharf search rebuild` raises so that
-- every node rebuilds.
CREATE TABLE search_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 'm' a message, 'c' a customer (its contacts and owners included)
    kind TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX search_changes_at ON search_changes (at);

CREATE TABLE search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL DEFAULT 1,
    pruned_through INTEGER NOT NULL DEFAULT 0
);
INSERT INTO search_state (id) VALUES (1);

CREATE TRIGGER search_message_insert AFTER INSERT ON messages BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('m', NEW.id, unixepoch());
END;
CREATE TRIGGER search_message_update AFTER UPDATE OF account_id, subject, body_text, deleted_at, mail_type_id, has_attachments ON messages BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('m', NEW.id, unixepoch());
END;
CREATE TRIGGER search_message_delete AFTER DELETE ON messages BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('m', OLD.id, unixepoch());
END;
-- The buyer named in an inquiry notification, added when it is filed.
CREATE TRIGGER search_message_inquiry AFTER INSERT ON message_addresses WHEN NEW.role = 'inquiry' BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('m', NEW.message_id, unixepoch());
END;

CREATE TRIGGER search_customer_insert AFTER INSERT ON customers BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', NEW.id, unixepoch());
END;
CREATE TRIGGER search_customer_update AFTER UPDATE ON customers BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', NEW.id, unixepoch());
END;
CREATE TRIGGER search_customer_delete AFTER DELETE ON customers BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', OLD.id, unixepoch());
END;
CREATE TRIGGER search_contact_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', NEW.customer_id, unixepoch());
END;
CREATE TRIGGER search_contact_update AFTER UPDATE ON contacts BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', NEW.customer_id, unixepoch());
    INSERT INTO search_changes (kind, entity_id, at) SELECT 'c', OLD.customer_id, unixepoch() WHERE OLD.customer_id <> NEW.customer_id;
END;
CREATE TRIGGER search_contact_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', OLD.customer_id, unixepoch());
END;
CREATE TRIGGER search_owner_insert AFTER INSERT ON customer_owners BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', NEW.customer_id, unixepoch());
END;
CREATE TRIGGER search_owner_delete AFTER DELETE ON customer_owners BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', OLD.customer_id, unixepoch());
END;

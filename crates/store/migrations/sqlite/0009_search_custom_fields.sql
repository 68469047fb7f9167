-- Search (FIND-1): a customer's custom field values are part of its search document,
-- so changing one logs the customer, like its contacts and owners (migration 0008).
CREATE TRIGGER search_field_value_insert AFTER INSERT ON customer_field_values BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', NEW.customer_id, unixepoch());
END;
CREATE TRIGGER search_field_value_update AFTER UPDATE ON customer_field_values BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', NEW.customer_id, unixepoch());
    INSERT INTO search_changes (kind, entity_id, at) SELECT 'c', OLD.customer_id, unixepoch() WHERE OLD.customer_id <> NEW.customer_id;
END;
CREATE TRIGGER search_field_value_delete AFTER DELETE ON customer_field_values BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('c', OLD.customer_id, unixepoch());
END;

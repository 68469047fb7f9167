-- Search (FIND-1): a message's tags are part of its search document (`tag:`), so
-- tagging or untagging logs the message (see migration 0008).
CREATE TRIGGER search_message_tag_insert AFTER INSERT ON message_tags BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('m', NEW.message_id, unixepoch());
END;
CREATE TRIGGER search_message_tag_delete AFTER DELETE ON message_tags BEGIN
    INSERT INTO search_changes (kind, entity_id, at) VALUES ('m', OLD.message_id, unixepoch());
END;

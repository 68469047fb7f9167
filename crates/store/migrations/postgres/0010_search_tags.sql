-- Search (FIND-1): a message's tags are part of its search document (`tag:`), so
-- tagging or untagging logs the message (see migration 0008).
CREATE FUNCTION search_message_tag_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN PERFORM search_log('m', OLD.message_id); ELSE PERFORM search_log('m', NEW.message_id); END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_message_tag_change AFTER INSERT OR DELETE ON message_tags
    FOR EACH ROW EXECUTE FUNCTION search_message_tag_changed();

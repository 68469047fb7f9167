-- Search (FIND-1): a customer's custom field values are part of its search document,
-- so changing one logs the customer, like its contacts and owners (migration 0008).
CREATE TRIGGER search_field_value_change AFTER INSERT OR UPDATE OR DELETE ON customer_field_values
    FOR EACH ROW EXECUTE FUNCTION search_part_changed();

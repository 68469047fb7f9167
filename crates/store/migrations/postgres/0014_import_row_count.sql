-- Issue 14: an import's data rows, counted once when the file is checked at upload, so
-- the mapping page need not read the whole file again.
ALTER TABLE customer_imports ADD COLUMN row_count BIGINT NOT NULL DEFAULT 0;

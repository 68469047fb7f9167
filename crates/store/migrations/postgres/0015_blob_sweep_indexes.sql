-- Issue 14: the blob sweep asks, for each old blob, whether any row still names it.
CREATE INDEX messages_blob ON messages (blob_hash);
CREATE INDEX attachments_blob ON attachments (blob_hash);
CREATE INDEX mail_uploads_blob ON mail_uploads (blob_hash);
CREATE INDEX customer_documents_blob ON customer_documents (blob_hash);
CREATE INDEX blobs_created ON blobs (created_at);
CREATE INDEX mail_uploads_created ON mail_uploads (created_at);

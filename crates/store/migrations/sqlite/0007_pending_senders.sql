-- Pending counts a person waiting for an answer (MAIL-3 with MAIL-4): mail a machine
-- sent (Auto-Submitted, bulk / list, no-reply senders; never an inquiry notification)
-- and mail from the company's own domains are marked on arrival, and Pending leaves
-- them out unless the company settings say otherwise. Mail stored before keeps 0.
ALTER TABLE messages ADD COLUMN automated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
-- The Pending count reads only its index: the two new columns join it.
DROP INDEX messages_pending;
CREATE INDEX messages_pending ON messages (account_id, direction, folder_role, pending_dismissed, is_bounce, internal, automated, received_at, id)
    WHERE replied_at IS NULL AND deleted_at IS NULL;

-- Moves and folders made in Wharf mirrored to the IMAP server (issue 17).
-- The path a folder made in Wharf has on the server (modified UTF-7, under the
-- account's prefix and delimiter); empty until the server has it.
ALTER TABLE mail_folders ADD COLUMN server_path TEXT NOT NULL DEFAULT '';
-- Why the server refused this folder's create / rename / delete (a code the pages
-- translate); empty when nothing was refused.
ALTER TABLE mail_folders ADD COLUMN mirror_note TEXT NOT NULL DEFAULT '';
-- Deleted in Wharf, waiting for its server copy to empty and go (the row is then
-- removed); the folder is no longer listed.
ALTER TABLE mail_folders ADD COLUMN removed_at BIGINT;
-- Why the server last refused a move of the account's mail (a code); empty when not.
ALTER TABLE mail_accounts ADD COLUMN mirror_note TEXT NOT NULL DEFAULT '';

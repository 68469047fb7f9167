-- A message stored as it came although its file has a flaw (a byte order mark before
-- it, a malformed header line): what the import found wrong, shown with the message.
ALTER TABLE messages ADD COLUMN defect TEXT NOT NULL DEFAULT '';

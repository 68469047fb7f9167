-- Handling mail (SPEC MAIL-2, MAIL-5, SEND-1): folders of one's own, tags, mail types,
-- and drafts written in the rich-text editor.

-- Folders made in Wharf (`local`), beside the server folders that sync reads.
ALTER TABLE mail_folders ADD COLUMN local INTEGER NOT NULL DEFAULT 0;

-- A message filed into a folder of its account: listed there and (for a move, `filed`)
-- no longer in its own folder. Messages of server folders without a role are filed
-- into them on sync.
ALTER TABLE messages ADD COLUMN filed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE message_folder_links (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    folder_id INTEGER NOT NULL REFERENCES mail_folders(id) ON DELETE CASCADE,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, folder_id)
);
CREATE INDEX message_folder_links_folder ON message_folder_links (folder_id, message_id);

-- The mail type (base data of kind mail_type: inquiry, quote, order, invoice …).
ALTER TABLE messages ADD COLUMN mail_type_id INTEGER REFERENCES dict_items(id) ON DELETE SET NULL;
CREATE INDEX messages_mail_type ON messages (mail_type_id, received_at) WHERE mail_type_id IS NOT NULL;

-- Tags: company-wide labels any user can put on the mail they see.
CREATE TABLE mail_tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX mail_tags_name ON mail_tags (lower(name));
CREATE TABLE message_tags (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES mail_tags(id) ON DELETE CASCADE,
    tagged_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    tagged_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, tag_id)
);
CREATE INDEX message_tags_tag ON message_tags (tag_id, message_id);

-- 1 when the body is the editor's HTML, 0 for plain text.
ALTER TABLE mail_drafts ADD COLUMN body_html INTEGER NOT NULL DEFAULT 0;

-- The counts on every mail page and in the live updates (MAIL-3, RUN-3), the Pending
-- list and the follow-up reminders: the counted conditions as the leading (equality)
-- columns, so a count reads only the rows it counts and the planner needs no statistics
-- to prefer these over messages_list.
CREATE INDEX messages_unread_inbox ON messages (account_id, folder_role, filed, seen)
    WHERE deleted_at IS NULL;
CREATE INDEX messages_pending ON messages (account_id, direction, folder_role, pending_dismissed, is_bounce, received_at, id)
    WHERE replied_at IS NULL AND deleted_at IS NULL;
CREATE INDEX messages_follow_up ON messages (account_id, follow_up_at)
    WHERE follow_up_at IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX messages_deleted ON messages (account_id, deleted_at)
    WHERE deleted_at IS NOT NULL;

-- Files uploaded with a mail that could not be sent yet (a refused send): kept, so the
-- writer need not choose them again; removed when the mail is sent.
CREATE TABLE mail_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blob_hash TEXT NOT NULL REFERENCES blobs(hash),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX mail_uploads_user ON mail_uploads (user_id, created_at);

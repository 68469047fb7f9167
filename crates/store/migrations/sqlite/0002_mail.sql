-- Mail: accounts, folders with sync cursors, the message index over content-addressed
-- blobs, attachments, threads, POP3 UIDLs, the outgoing queue and the job table.
-- Keep in step with postgres/0002_mail.sql.

CREATE TABLE mail_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    address TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    owner_id INTEGER REFERENCES users(id),
    in_protocol TEXT NOT NULL,
    in_host TEXT NOT NULL DEFAULT '',
    in_port INTEGER NOT NULL DEFAULT 0,
    in_security TEXT NOT NULL DEFAULT 'tls',
    in_username TEXT NOT NULL DEFAULT '',
    in_secret TEXT NOT NULL DEFAULT '',
    out_host TEXT NOT NULL DEFAULT '',
    out_port INTEGER NOT NULL DEFAULT 0,
    out_security TEXT NOT NULL DEFAULT 'tls',
    out_username TEXT NOT NULL DEFAULT '',
    out_secret TEXT NOT NULL DEFAULT '',
    accept_invalid_certs INTEGER NOT NULL DEFAULT 0,
    leave_on_server INTEGER NOT NULL DEFAULT 1,
    show_since INTEGER,
    sync_enabled INTEGER NOT NULL DEFAULT 1,
    sync_state TEXT NOT NULL DEFAULT 'new',
    sync_error TEXT NOT NULL DEFAULT '',
    sync_error_step TEXT NOT NULL DEFAULT '',
    sync_progress_done INTEGER NOT NULL DEFAULT 0,
    sync_progress_total INTEGER NOT NULL DEFAULT 0,
    last_sync_at INTEGER,
    signature TEXT NOT NULL DEFAULT '',
    max_attachment_mb INTEGER NOT NULL DEFAULT 25,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX mail_accounts_address ON mail_accounts (address);

CREATE TABLE mail_account_members (
    account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (account_id, user_id)
);

CREATE TABLE mail_folders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    selected INTEGER NOT NULL DEFAULT 1,
    uidvalidity INTEGER NOT NULL DEFAULT 0,
    last_uid INTEGER NOT NULL DEFAULT 0,
    highest_modseq INTEGER NOT NULL DEFAULT 0,
    server_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX mail_folders_account_name ON mail_folders (account_id, name);

-- Blobs of up to 128 KiB (most messages) are kept here in `data`, written in the same
-- transaction as the rows naming them; bigger ones are files in the blob store.
CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB,
    created_at INTEGER NOT NULL
);

CREATE TABLE mail_threads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
    subject_key TEXT NOT NULL DEFAULT '',
    last_at INTEGER NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mail_threads_subject ON mail_threads (account_id, subject_key, last_at);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
    blob_hash TEXT NOT NULL REFERENCES blobs(hash),
    size INTEGER NOT NULL,
    direction TEXT NOT NULL,
    folder_role TEXT NOT NULL DEFAULT 'inbox',
    message_id TEXT NOT NULL DEFAULT '',
    in_reply_to TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    from_name TEXT NOT NULL DEFAULT '',
    from_addr TEXT NOT NULL DEFAULT '',
    to_addrs TEXT NOT NULL DEFAULT '[]',
    cc_addrs TEXT NOT NULL DEFAULT '[]',
    sent_at INTEGER,
    received_at INTEGER NOT NULL,
    snippet TEXT NOT NULL DEFAULT '',
    body_text TEXT NOT NULL DEFAULT '',
    has_attachments INTEGER NOT NULL DEFAULT 0,
    thread_id INTEGER REFERENCES mail_threads(id),
    parse_ok INTEGER NOT NULL DEFAULT 1,
    parse_error TEXT NOT NULL DEFAULT '',
    seen INTEGER NOT NULL DEFAULT 0,
    flagged INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    is_bounce INTEGER NOT NULL DEFAULT 0,
    bounce_of INTEGER REFERENCES messages(id),
    bounce_info TEXT NOT NULL DEFAULT '',
    replied_at INTEGER,
    pending_dismissed INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER,
    deleted_by INTEGER,
    follow_up_at INTEGER,
    follow_up_note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_account_blob ON messages (account_id, blob_hash);
CREATE INDEX messages_account_msgid ON messages (account_id, message_id);
CREATE INDEX messages_account_received ON messages (account_id, received_at);
CREATE INDEX messages_thread ON messages (thread_id);
CREATE INDEX messages_list ON messages (account_id, folder_role, received_at, id);

-- Message-IDs a message points at (In-Reply-To and References), so that a parent
-- arriving after its reply still finds the reply's thread.
CREATE TABLE message_refs (
    account_id INTEGER NOT NULL,
    ref_id TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE
);
CREATE INDEX message_refs_ref ON message_refs (account_id, ref_id);

CREATE TABLE message_locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    folder_id INTEGER NOT NULL REFERENCES mail_folders(id) ON DELETE CASCADE,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    modseq INTEGER NOT NULL DEFAULT 0,
    flags TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX message_locations_uid ON message_locations (folder_id, uidvalidity, uid);
CREATE INDEX message_locations_message ON message_locations (message_id);

CREATE TABLE pop3_uidls (
    account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
    uidl TEXT NOT NULL,
    message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, uidl)
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    blob_hash TEXT NOT NULL REFERENCES blobs(hash),
    filename TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    content_id TEXT NOT NULL DEFAULT '',
    is_inline INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);

CREATE TABLE outgoing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    created_by INTEGER REFERENCES users(id),
    envelope_from TEXT NOT NULL,
    recipients TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at INTEGER,
    appended_to_sent INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX outgoing_due ON outgoing (state, next_attempt_at);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    unique_key TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT '',
    run_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX jobs_unique ON jobs (kind, unique_key) WHERE unique_key <> '';
CREATE INDEX jobs_due ON jobs (run_at);

-- Senders whose remote images a user always shows (MAIL-6).
CREATE TABLE mail_image_senders (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    PRIMARY KEY (user_id, address)
);

-- Internal distribution (MAIL-8): a mail handed to a colleague with a note; the
-- colleague can read it from then on, and both see the history.
CREATE TABLE mail_handovers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    from_user INTEGER NOT NULL REFERENCES users(id),
    to_user INTEGER NOT NULL REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX mail_handovers_to ON mail_handovers (to_user, created_at);
CREATE INDEX mail_handovers_message ON mail_handovers (message_id);

-- Internal comments on a mail, seen by everyone who can see the mail.
CREATE TABLE mail_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX mail_comments_message ON mail_comments (message_id, created_at);

-- Mail being written, saved as the user types (SEND-1); deleted when sent.
CREATE TABLE mail_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_id INTEGER REFERENCES mail_accounts(id) ON DELETE SET NULL,
    to_addrs TEXT NOT NULL DEFAULT '',
    cc_addrs TEXT NOT NULL DEFAULT '',
    bcc_addrs TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    reply_to INTEGER,
    forward_of INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX mail_drafts_user ON mail_drafts (user_id, updated_at);

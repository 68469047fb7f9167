-- Mail authentication (issue 15): DKIM, SPF and DMARC as Wharf itself computed them
-- after arrival, never copied from a message's own Authentication-Results header.
-- state: 'pending' (queued for the auth job), 'done', or 'old' (imported history too
-- old to check: DKIM keys rotate). Each result is a lower-case RFC 8601 word
-- (pass, fail, softfail, neutral, none, temperror, permerror) or '' when not checked.
-- Keep in step with the other dialect's 0011_auth_message_auth.sql.
CREATE TABLE message_auth (
    message_id BIGINT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'pending',
    dkim TEXT NOT NULL DEFAULT '',
    dkim_domain TEXT NOT NULL DEFAULT '',
    dkim_selector TEXT NOT NULL DEFAULT '',
    spf TEXT NOT NULL DEFAULT '',
    spf_domain TEXT NOT NULL DEFAULT '',
    dmarc TEXT NOT NULL DEFAULT '',
    dmarc_policy TEXT NOT NULL DEFAULT '',
    from_domain TEXT NOT NULL DEFAULT '',
    hop TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    queued_at BIGINT NOT NULL,
    computed_at BIGINT
);
CREATE INDEX message_auth_pending ON message_auth (state, message_id);

-- Mail and customers together (LINK-1, MAIL-4): every address a message names, in the
-- normal form customer keys use, so that a message finds its customers and a customer
-- its mail, also after an address is added to a contact. Filled on arrival; mail stored
-- before this migration is filled by the store right after it (backfill_mail_links).
CREATE TABLE message_addresses (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    -- from | to | cc, or inquiry: the buyer named in a platform's notification
    role TEXT NOT NULL,
    address TEXT NOT NULL,
    domain TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (message_id, role, address)
);
CREATE INDEX message_addresses_address ON message_addresses (address, message_id);
CREATE INDEX message_addresses_domain ON message_addresses (domain, message_id);

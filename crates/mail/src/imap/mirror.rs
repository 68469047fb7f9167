//! What Wharf changes on the IMAP server when a user files mail or makes folders in
//! Wharf (issue 17): `UID MOVE` (or COPY, `\Deleted` and an expunge of that message
//! only), CREATE / RENAME / DELETE, and finding a message's copy in a folder by its
//! bytes so a retried move never makes a second one. A server's `NO` comes back as
//! [`Step::Permission`]: the caller keeps the Wharf change and shows a note.

use futures_util::TryStreamExt;

use super::{ImapConn, protocol, utf7};
use crate::net::{NetError, Step};

/// Where folders of one's own go on this server: under the personal namespace's prefix
/// (`INBOX.` on Courier and Cyrus, empty on most), split by its delimiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderLayout {
    pub prefix: String,
    pub delimiter: Option<char>,
}

impl FolderLayout {
    /// The server path of a folder people call `name`: the delimiter inside a name would
    /// make a hierarchy, so it becomes `_`.
    pub fn path_for(&self, name: &str) -> String {
        let flat: String = match self.delimiter {
            Some(d) => name.chars().map(|c| if c == d { '_' } else { c }).collect(),
            None => name.to_string(),
        };
        format!("{}{}", self.prefix, utf7::encode(&flat))
    }
}

/// A refusal (`NO`) as a permission step; anything else as a protocol failure.
fn refusal(e: async_imap::error::Error) -> NetError {
    match e {
        async_imap::error::Error::No(m) => NetError::new(Step::Permission, m),
        other => protocol(other),
    }
}

/// One UID as a UID set (mailbox names are quoted by async-imap, which refuses line
/// breaks in them).
fn uid_set(uid: u32) -> String {
    uid.to_string()
}

impl ImapConn {
    /// The personal namespace's prefix and delimiter, read from the folder list.
    pub async fn layout(&mut self) -> Result<FolderLayout, NetError> {
        let names: Vec<_> = self
            .session
            .list(Some(""), Some("*"))
            .await
            .map_err(protocol)?
            .try_collect()
            .await
            .map_err(protocol)?;
        let delimiter = names
            .iter()
            .find_map(|n| n.delimiter())
            .and_then(|d| d.chars().next());
        let others: Vec<&str> = names
            .iter()
            .map(|n| n.name())
            .filter(|n| !n.eq_ignore_ascii_case("INBOX"))
            .collect();
        let prefix = match delimiter {
            Some(d) => {
                let under_inbox = format!("INBOX{d}");
                let all_under = !others.is_empty()
                    && others.iter().all(|n| {
                        n.len() > under_inbox.len()
                            && n[..under_inbox.len()].eq_ignore_ascii_case(&under_inbox)
                    });
                if all_under {
                    under_inbox
                } else {
                    String::new()
                }
            }
            None => String::new(),
        };
        Ok(FolderLayout { prefix, delimiter })
    }

    /// Whether a folder of exactly this path exists.
    pub async fn folder_exists(&mut self, path: &str) -> Result<bool, NetError> {
        let names: Vec<_> = self
            .session
            .list(Some(""), Some(path))
            .await
            .map_err(protocol)?
            .try_collect()
            .await
            .map_err(protocol)?;
        Ok(names.iter().any(|n| n.name() == path))
    }

    pub async fn create_folder(&mut self, path: &str) -> Result<(), NetError> {
        self.session.create(path).await.map_err(refusal)
    }

    pub async fn rename_folder(&mut self, from: &str, to: &str) -> Result<(), NetError> {
        self.session.rename(from, to).await.map_err(refusal)
    }

    pub async fn delete_folder(&mut self, path: &str) -> Result<(), NetError> {
        self.session.delete(path).await.map_err(refusal)
    }

    /// The next UID of a folder without selecting it.
    pub async fn uid_next(&mut self, path: &str) -> Result<u32, NetError> {
        let status = self
            .session
            .status(path, "(UIDNEXT)")
            .await
            .map_err(refusal)?;
        Ok(status.uid_next.unwrap_or(1))
    }

    /// Whether the selected folder still holds this UID.
    pub async fn has_uid(&mut self, uid: u32) -> Result<bool, NetError> {
        let found = self
            .session
            .uid_search(format!("UID {uid}"))
            .await
            .map_err(protocol)?;
        Ok(found.contains(&uid))
    }

    /// Moves one message of the selected folder to `to` (needs `MOVE`).
    pub async fn move_uid(&mut self, uid: u32, to: &str) -> Result<(), NetError> {
        self.session.uid_mv(uid_set(uid), to).await.map_err(refusal)
    }

    /// Copies one message of the selected folder to `to`.
    pub async fn copy_uid(&mut self, uid: u32, to: &str) -> Result<(), NetError> {
        self.session
            .uid_copy(uid_set(uid), to)
            .await
            .map_err(refusal)
    }

    /// Removes one message from the selected folder: `\Deleted`, then `UID EXPUNGE` of
    /// it alone (UIDPLUS), or a plain EXPUNGE only when no other message there is marked
    /// deleted (it would take those too). False when it stays, marked deleted.
    pub async fn remove_uid(&mut self, uid: u32) -> Result<bool, NetError> {
        self.session
            .uid_store(uid_set(uid), "+FLAGS.SILENT (\\Deleted)")
            .await
            .map_err(refusal)?
            .try_collect::<Vec<_>>()
            .await
            .map_err(protocol)?;
        if self.caps.uidplus {
            self.session
                .uid_expunge(uid_set(uid))
                .await
                .map_err(refusal)?
                .try_collect::<Vec<_>>()
                .await
                .map_err(protocol)?;
            return Ok(true);
        }
        let deleted = self.session.uid_search("DELETED").await.map_err(protocol)?;
        if deleted.len() == 1 && deleted.contains(&uid) {
            self.session
                .expunge()
                .await
                .map_err(refusal)?
                .try_collect::<Vec<_>>()
                .await
                .map_err(protocol)?;
            return Ok(true);
        }
        Ok(false)
    }

    /// The UID of a message with these bytes (by SHA-256) in the selected folder: among
    /// those with this Message-ID, or (without one) among UIDs from `from_uid` on.
    /// Looks at 20 candidates at most.
    pub async fn find_copy(
        &mut self,
        message_id: &str,
        sha256_hex: &str,
        from_uid: u32,
    ) -> Result<Option<u32>, NetError> {
        let bare = message_id
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        let by_id = !bare.is_empty()
            && bare
                .chars()
                .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\');
        let query = if by_id {
            format!("HEADER Message-ID \"{bare}\"")
        } else {
            format!("UID {}:*", from_uid.max(1))
        };
        let mut candidates: Vec<u32> = self
            .session
            .uid_search(query)
            .await
            .map_err(protocol)?
            .into_iter()
            // "n:*" also gives the last message when n is past it.
            .filter(|u| by_id || *u >= from_uid)
            .collect();
        candidates.sort_unstable();
        candidates.truncate(20);
        for f in self.fetch(&candidates).await? {
            if crate::hash::sha256_hex(&f.bytes) == sha256_hex {
                return Ok(Some(f.uid));
            }
        }
        Ok(None)
    }
}

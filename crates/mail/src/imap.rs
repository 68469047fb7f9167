//! The IMAP client Wharf's sync uses (SPEC ACC-3): login over TLS / STARTTLS / plain,
//! the folder list with special-use roles, UID ranges, exact message bytes
//! (`BODY.PEEK[]`, so nothing is marked read), CONDSTORE flag changes, APPEND and IDLE;
//! moves and folder changes made in Wharf are in `imap/mirror.rs`.
//! After login Wharf names itself with the `ID` command (RFC 2971) when the server
//! offers it: NetEase (163, 126, yeah.net) refuses SELECT with "Unsafe Login" otherwise.

use std::time::Duration;

use async_imap::types::{Flag, NameAttribute};
use async_imap::{Client, Session};
use futures_util::TryStreamExt;

use crate::net::{self, Endpoint, MaybeTls, NetError, Security, Step};

mod mirror;
mod utf7;

pub use mirror::FolderLayout;

pub type ImapSession = Session<MaybeTls>;

/// What the server offers that sync cares about.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caps {
    pub idle: bool,
    pub condstore: bool,
    /// `MOVE` (RFC 6851); without it a move is COPY, `\Deleted` and EXPUNGE.
    pub moves: bool,
    /// `UIDPLUS` (RFC 4315): `UID EXPUNGE` removes only the given messages.
    pub uidplus: bool,
}

pub struct ImapConn {
    session: ImapSession,
    pub caps: Caps,
    /// The server's answer to our `ID` (its own name, version…); `None` when it does
    /// not offer `ID` or answered `NIL`.
    pub server_id: Option<std::collections::HashMap<String, String>>,
}

/// How Wharf names itself in the `ID` command.
pub const CLIENT_ID: [(&str, &str); 3] = [
    ("name", "Wharf"),
    ("version", env!("CARGO_PKG_VERSION")),
    ("vendor", "Wharf"),
];

#[derive(Debug, Clone)]
pub struct FolderInfo {
    pub name: String,
    /// `inbox`, `sent`, `drafts`, `trash`, `junk`, `archive` or empty.
    pub role: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Selected {
    pub exists: u32,
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub highest_modseq: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Fetched {
    pub uid: u32,
    pub flags: String,
    pub bytes: Vec<u8>,
}

fn protocol(e: impl std::fmt::Display) -> NetError {
    NetError::new(Step::Protocol, e)
}

/// Connects and logs in.
pub async fn login(endpoint: &Endpoint, user: &str, password: &str) -> Result<ImapConn, NetError> {
    let stream = net::connect(endpoint).await?;
    let mut client = Client::new(stream);
    greeting(&mut client).await?;
    if endpoint.security == Security::StartTls {
        client
            .run_command_and_check_ok("STARTTLS", None)
            .await
            .map_err(|e| NetError::new(Step::Tls, format!("STARTTLS refused: {e}")))?;
        let MaybeTls::Plain(tcp) = client.into_inner() else {
            return Err(NetError::new(Step::Tls, "already encrypted"));
        };
        let tls = net::tls_wrap(tcp, &endpoint.host, endpoint.accept_invalid_certs).await?;
        client = Client::new(MaybeTls::Tls(Box::new(tls)));
    }
    let mut session = tokio::time::timeout(net::CONNECT_TIMEOUT, client.login(user, password))
        .await
        .map_err(|_| NetError::new(Step::Login, "login timed out"))?
        .map_err(|(e, _)| match e {
            async_imap::error::Error::No(m) | async_imap::error::Error::Bad(m) => {
                NetError::new(Step::Login, m)
            }
            other => NetError::new(Step::Login, other),
        })?;
    let caps = session.capabilities().await.map_err(protocol)?;
    let offers_id = caps.has_str("ID");
    let caps = Caps {
        idle: caps.has_str("IDLE"),
        condstore: caps.has_str("CONDSTORE"),
        moves: caps.has_str("MOVE"),
        uidplus: caps.has_str("UIDPLUS"),
    };
    let server_id = if offers_id {
        let id = CLIENT_ID.iter().map(|(k, v)| (*k, Some(*v)));
        match tokio::time::timeout(net::CONNECT_TIMEOUT, session.id(id)).await {
            Ok(Ok(answer)) => answer,
            // A server that offers ID but refuses ours still lets us in (or says so at
            // SELECT); a broken connection shows at the next command.
            Ok(Err(async_imap::error::Error::No(m) | async_imap::error::Error::Bad(m))) => {
                tracing::debug!("IMAP ID refused: {m}");
                None
            }
            Ok(Err(e)) => return Err(protocol(e)),
            Err(_) => return Err(NetError::new(Step::Protocol, "ID timed out")),
        }
    } else {
        None
    };
    Ok(ImapConn {
        session,
        caps,
        server_id,
    })
}

async fn greeting(client: &mut Client<MaybeTls>) -> Result<(), NetError> {
    match tokio::time::timeout(net::CONNECT_TIMEOUT, client.read_response()).await {
        Ok(Ok(Some(_))) => Ok(()),
        Ok(Ok(None)) => Err(NetError::new(
            Step::Connect,
            "the server closed the connection",
        )),
        Ok(Err(e)) => Err(NetError::new(Step::Connect, e)),
        Err(_) => Err(NetError::new(Step::Connect, "no greeting from the server")),
    }
}

fn flag_text(flag: &Flag) -> String {
    match flag {
        Flag::Seen => "\\Seen".into(),
        Flag::Answered => "\\Answered".into(),
        Flag::Flagged => "\\Flagged".into(),
        Flag::Deleted => "\\Deleted".into(),
        Flag::Draft => "\\Draft".into(),
        Flag::Recent => "\\Recent".into(),
        Flag::MayCreate => "\\*".into(),
        Flag::Custom(c) => c.to_string(),
    }
}

impl ImapConn {
    /// Every selectable folder, with its special-use role.
    pub async fn folders(&mut self) -> Result<Vec<FolderInfo>, NetError> {
        let names: Vec<_> = self
            .session
            .list(Some(""), Some("*"))
            .await
            .map_err(protocol)?
            .try_collect()
            .await
            .map_err(protocol)?;
        let mut out = Vec::new();
        for n in names {
            let attrs = n.attributes();
            if attrs.iter().any(|a| matches!(a, NameAttribute::NoSelect)) {
                continue;
            }
            let name = n.name().to_string();
            let role = if name.eq_ignore_ascii_case("INBOX") {
                "inbox"
            } else if let Some(role) = attrs.iter().find_map(|a| match a {
                NameAttribute::Sent => Some("sent"),
                NameAttribute::Drafts => Some("drafts"),
                NameAttribute::Trash => Some("trash"),
                NameAttribute::Junk => Some("junk"),
                NameAttribute::Archive => Some("archive"),
                _ => None,
            }) {
                role
            } else {
                role_by_name(&name)
            };
            out.push(FolderInfo { name, role });
        }
        Ok(out)
    }

    pub async fn select(&mut self, folder: &str) -> Result<Selected, NetError> {
        let mailbox = if self.caps.condstore {
            self.session.select_condstore(folder).await
        } else {
            self.session.select(folder).await
        }
        .map_err(|e| match e {
            async_imap::error::Error::No(m) => NetError::new(Step::Permission, m),
            other => protocol(other),
        })?;
        Ok(Selected {
            exists: mailbox.exists,
            uidvalidity: mailbox.uid_validity.unwrap_or(0),
            uidnext: mailbox.uid_next.unwrap_or(0),
            highest_modseq: mailbox.highest_modseq,
        })
    }

    /// UIDs and sizes of the selected folder's messages with UID >= `from`.
    pub async fn uids_from(&mut self, from: u32) -> Result<Vec<(u32, u32)>, NetError> {
        let fetches: Vec<_> = self
            .session
            .uid_fetch(format!("{}:*", from.max(1)), "(UID RFC822.SIZE)")
            .await
            .map_err(protocol)?
            .try_collect()
            .await
            .map_err(protocol)?;
        let mut out: Vec<(u32, u32)> = fetches
            .iter()
            .filter_map(|f| Some((f.uid?, f.size.unwrap_or(0))))
            // "n:*" also returns the last message when n is past it.
            .filter(|(uid, _)| *uid >= from)
            .collect();
        out.sort_unstable();
        out.dedup_by_key(|(u, _)| *u);
        Ok(out)
    }

    /// The exact bytes and flags of the given UIDs (without setting \Seen).
    pub async fn fetch(&mut self, uids: &[u32]) -> Result<Vec<Fetched>, NetError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let fetches: Vec<_> = self
            .session
            .uid_fetch(set, "(UID FLAGS BODY.PEEK[])")
            .await
            .map_err(protocol)?
            .try_collect()
            .await
            .map_err(protocol)?;
        let mut out = Vec::with_capacity(fetches.len());
        for f in &fetches {
            let (Some(uid), Some(body)) = (f.uid, f.body()) else {
                continue;
            };
            if !uids.contains(&uid) {
                continue;
            }
            out.push(Fetched {
                uid,
                flags: f
                    .flags()
                    .map(|fl| flag_text(&fl))
                    .collect::<Vec<_>>()
                    .join(" "),
                bytes: body.to_vec(),
            });
        }
        Ok(out)
    }

    /// Flags changed since `modseq` (CONDSTORE): (uid, flags, modseq).
    pub async fn changed_flags(
        &mut self,
        modseq: u64,
    ) -> Result<Vec<(u32, String, u64)>, NetError> {
        let fetches: Vec<_> = self
            .session
            .uid_fetch("1:*", format!("(UID FLAGS) (CHANGEDSINCE {modseq})"))
            .await
            .map_err(protocol)?
            .try_collect()
            .await
            .map_err(protocol)?;
        Ok(fetches
            .iter()
            .filter_map(|f| {
                Some((
                    f.uid?,
                    f.flags()
                        .map(|fl| flag_text(&fl))
                        .collect::<Vec<_>>()
                        .join(" "),
                    f.modseq.unwrap_or(0),
                ))
            })
            .collect())
    }

    /// Adds flags (e.g. `\\Seen`) to messages of the selected folder.
    pub async fn add_flags(&mut self, uids: &[u32], flags: &str) -> Result<(), NetError> {
        self.store_flags(uids, '+', flags).await
    }

    /// Removes flags from messages of the selected folder.
    pub async fn remove_flags(&mut self, uids: &[u32], flags: &str) -> Result<(), NetError> {
        self.store_flags(uids, '-', flags).await
    }

    async fn store_flags(&mut self, uids: &[u32], sign: char, flags: &str) -> Result<(), NetError> {
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let updates: Vec<_> = self
            .session
            .uid_store(set, format!("{sign}FLAGS.SILENT ({flags})"))
            .await
            .map_err(protocol)?
            .try_collect()
            .await
            .map_err(protocol)?;
        drop(updates);
        Ok(())
    }

    /// Stores a copy of `bytes` in `folder` (the sent copy).
    pub async fn append(
        &mut self,
        folder: &str,
        flags: &str,
        bytes: &[u8],
    ) -> Result<(), NetError> {
        self.session
            .append(folder, Some(&format!("({flags})")), None, bytes)
            .await
            .map_err(protocol)
    }

    /// Waits up to `wait` for the selected folder to change (IDLE). Returns the
    /// connection and whether something happened.
    pub async fn idle(self, wait: Duration) -> Result<(ImapConn, bool), NetError> {
        let (caps, server_id) = (self.caps, self.server_id);
        let mut handle = self.session.idle();
        handle.init().await.map_err(protocol)?;
        let (fut, _stop) = handle.wait_with_timeout(wait);
        let outcome = fut.await.map_err(protocol)?;
        let changed = matches!(
            outcome,
            async_imap::extensions::idle::IdleResponse::NewData(_)
        );
        let session = handle.done().await.map_err(protocol)?;
        Ok((
            ImapConn {
                session,
                caps,
                server_id,
            },
            changed,
        ))
    }

    pub async fn logout(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.session.logout()).await;
    }
}

/// A folder name as people read it: IMAP sends non-ASCII names in modified UTF-7
/// (RFC 3501 §5.1.3), e.g. `&XfJT0ZAB-` for 已发送. Names that are not valid modified
/// UTF-7 come back as they are.
pub fn decode_folder_name(name: &str) -> String {
    utf7::decode(name)
}

/// A folder name as the server wants it (modified UTF-7).
pub fn encode_folder_name(name: &str) -> String {
    utf7::encode(name)
}

/// Roles of folders on servers without SPECIAL-USE, by their usual names.
pub fn role_by_name(name: &str) -> &'static str {
    let decoded = decode_folder_name(name);
    let last = decoded
        .rsplit(['/', '.'])
        .next()
        .unwrap_or(&decoded)
        .to_lowercase();
    match last.as_str() {
        "sent" | "sent items" | "sent messages" | "sent mail" | "已发送" | "已发送邮件" => {
            "sent"
        }
        "drafts" | "draft" | "草稿箱" => "drafts",
        "trash" | "deleted" | "deleted items" | "deleted messages" | "已删除" => "trash",
        "junk" | "spam" | "junk e-mail" | "垃圾邮件" => "junk",
        "archive" | "archives" => "archive",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_name() {
        assert_eq!(role_by_name("&XfJT0ZAB-"), "sent");
        assert_eq!(role_by_name("&g0l6P3ux-"), "drafts");
        assert_eq!(role_by_name("[Gmail]/Sent Mail"), "sent");
    }
}

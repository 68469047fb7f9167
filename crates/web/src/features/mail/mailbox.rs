//! The three-pane mailbox: folders, the message list with paging, and the open message
//! (SPEC MAIL-2, 3, 5, 6, 7, 9).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wharf_core::mail::link::Party;
use wharf_store::mail::view::{MailQuery, MailView, MessageSummary};

use super::opened::{ListPlace, PaneFragment, open_message};
use super::reading_pane::{Labels, delivery_text, shortcuts};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::views::{
    AccountChoice, DraftRow, MailItem, MailboxPage, OpenFolder, PartyLink, SideLink, ViewLink,
};
use crate::render::{page, when};

const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct MailParams {
    #[serde(default)]
    view: String,
    #[serde(default)]
    account: String,
    /// Keyset cursor `received_at:id`.
    #[serde(default)]
    after: String,
    /// The message open in the reading pane.
    #[serde(default)]
    m: String,
    #[serde(default)]
    images: String,
    /// Words to find (subject, sender, Message-ID): used to trace deleted mail.
    #[serde(default)]
    q: String,
    /// Inbound mail from one kind of sender: contact, customer, internal, stranger.
    #[serde(default)]
    party: String,
    /// `team` for the others' mail in the user's scope (else her own).
    #[serde(default)]
    scope: String,
    /// The one person of the team view.
    #[serde(default)]
    user: String,
    /// `1`: only the reading pane (the page's script swaps it in without a reload).
    #[serde(default)]
    fragment: String,
}

pub(super) fn href(
    view: &str,
    scope: &str,
    account: Option<i64>,
    after: Option<(i64, i64)>,
    m: Option<i64>,
) -> String {
    let mut s = format!("/mail?view={view}{scope}");
    if let Some(a) = account {
        s.push_str(&format!("&account={a}"));
    }
    if let Some((at, id)) = after {
        s.push_str(&format!("&after={at}:{id}"));
    }
    if let Some(m) = m {
        s.push_str(&format!("&m={m}"));
    }
    s
}

/// The party a list row names, as mail clients do: the sender of inbound mail; for
/// the user's own mail "To: <recipient>" (Thunderbird's and Foxmail's Sent column), so
/// an own reply in a thread is never listed under the customer's name alone.
pub(crate) fn who(req: &Req, m: &MessageSummary) -> String {
    if m.direction == "out" {
        let to: Vec<wharf_mail::Mailbox> = serde_json::from_str(&m.to_addrs).unwrap_or_default();
        let first = to
            .first()
            .map(|t| {
                if t.name.is_empty() {
                    t.address.clone()
                } else {
                    t.name.clone()
                }
            })
            .unwrap_or_default();
        req.t("mail.who_to").replace("{name}", &first)
    } else {
        author(req, m)
    }
}

/// Who wrote a message of a conversation: "Me" for the user's own mail (as Foxmail's
/// 我 and Thunderbird's "Me"), else the sender's name or address.
pub(crate) fn author(req: &Req, m: &MessageSummary) -> String {
    if m.direction == "out" {
        req.t("mail.who_me")
    } else if m.from_name.is_empty() {
        m.from_addr.clone()
    } else {
        m.from_name.clone()
    }
}

pub(super) fn addresses(json: &str) -> String {
    let list: Vec<wharf_mail::Mailbox> = serde_json::from_str(json).unwrap_or_default();
    list.iter()
        .map(|m| {
            if m.name.is_empty() {
                m.address.clone()
            } else {
                format!("{} <{}>", m.name, m.address)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "3 d", "5 h", "12 min": how long an inbound message has waited.
fn age(req: &Req, since: i64) -> String {
    let secs = (wharf_store::now() - since).max(0);
    if secs >= 86_400 {
        req.t("mail.age.days")
            .replace("{n}", &(secs / 86_400).to_string())
    } else if secs >= 3600 {
        req.t("mail.age.hours")
            .replace("{n}", &(secs / 3600).to_string())
    } else {
        req.t("mail.age.minutes")
            .replace("{n}", &(secs / 60).to_string())
    }
}

pub(super) fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

pub async fn mailbox(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<MailParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let code_in = if p.view.is_empty() {
        "inbox"
    } else {
        p.view.as_str()
    };
    // Follow-ups and mail handed to me are lists of their own (no keyset paging).
    let special = matches!(code_in, "followup" | "handed");
    let view = if special {
        MailView::Folder("inbox".into())
    } else {
        MailView::from_code(code_in).ok_or(AppError::BadRequest)?
    };
    let account = p.account.parse::<i64>().ok();
    let after = p
        .after
        .split_once(':')
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
    let open = p.m.parse::<i64>().ok();
    let party = match p.party.as_str() {
        "" => None,
        code => Some(Party::from_code(code).ok_or(AppError::BadRequest)?),
    };
    // Links within the list keep the sender filter.
    let keep = |s: String| match party {
        Some(pt) => format!("{s}&party={}", pt.code()),
        None => s,
    };
    let zone = req.zone()?;
    let all_accounts = state.store.list_accounts(actor).await?;
    let team = super::team::resolve(
        &state,
        &req,
        &p.scope,
        &p.user,
        all_accounts.clone(),
        code_in,
    )
    .await?;
    let accounts = &team.accounts;
    if account.is_some_and(|a| !accounts.iter().any(|x| x.id == a)) {
        return Err(wharf_core::DomainError::NotFound.into());
    }
    // Opening a message reads it (for its mailbox's own users; a supervisor's read
    // changes nothing and is logged): before the counts are taken.
    let opened = match open {
        Some(id) => Some(state.store.open_message(req.ctx()?, id, "pane").await?),
        None => None,
    };
    let place = ListPlace {
        code: if special {
            code_in.to_string()
        } else {
            view.code().to_string()
        },
        scope: team.query.clone(),
        account,
        after,
        party,
    };
    if p.fragment == "1" {
        let detail = opened.ok_or(AppError::BadRequest)?;
        let labels = Labels::load(&state, &req).await?;
        let folders = readable_folders(state.store.user_folders(actor).await?);
        let (message, conversation) = open_message(
            &state,
            &req,
            detail,
            p.images == "1",
            &place,
            &all_accounts,
            &labels,
            &folders,
        )
        .await?;
        return Ok(page(
            &req,
            "mail/pane_fragment.html",
            "mail",
            &message.subject.clone(),
            PaneFragment {
                message: Some(message),
                conversation,
            },
        ));
    }
    let (unread, pending) = state.store.mail_counts_in(actor, team.scope).await?;
    let handed = state.store.handed_count_in(actor, team.scope).await?;
    let due = state
        .store
        .due_follow_ups(&accounts.iter().map(|a| a.id).collect::<Vec<_>>())
        .await?;
    let mut follow_up_of: HashMap<i64, String> = HashMap::new();
    let (items, more) = match code_in {
        "followup" => {
            let list = state.store.list_follow_ups_in(actor, team.scope).await?;
            let mut items = Vec::with_capacity(list.len());
            for f in list {
                let text = if f.note.is_empty() {
                    req.t("mail.follow_up.due")
                        .replace("{when}", &when(f.at, zone))
                } else {
                    req.t("mail.follow_up.due_note")
                        .replace("{when}", &when(f.at, zone))
                        .replace("{note}", &f.note)
                };
                follow_up_of.insert(f.summary.id, text);
                items.push(f.summary);
            }
            (items, false)
        }
        "handed" => (state.store.list_handed_in(actor, team.scope).await?, false),
        _ => {
            state
                .store
                .list_mail_in(
                    actor,
                    team.scope,
                    &MailQuery {
                        view: view.clone(),
                        account_id: account,
                        after,
                        limit: PAGE_SIZE,
                        text: (!p.q.trim().is_empty()).then(|| p.q.clone()),
                        party,
                    },
                )
                .await?
        }
    };
    let code = place.code.clone();
    let views: Vec<ViewLink> = [
        "inbox", "pending", "followup", "handed", "sent", "outbox", "drafts", "junk", "trash",
    ]
    .into_iter()
    .map(|v| {
        let count = match v {
            "inbox" if unread > 0 => unread,
            "pending" if pending > 0 => pending,
            "followup" if due > 0 => due,
            "handed" if handed > 0 => handed,
            _ => 0,
        };
        ViewLink {
            code: v,
            href: href(v, &team.query, account, None, None),
            label: req.t(&format!("mail.view.{v}")),
            on: v == code,
            count,
        }
    })
    .collect();
    let more_href = if more {
        items.last().map(|l| {
            keep(href(
                &code,
                &team.query,
                account,
                Some((l.received_at, l.id)),
                None,
            ))
        })
    } else {
        None
    };
    let labels = Labels::load(&state, &req).await?;
    let folders = readable_folders(state.store.user_folders(actor).await?);
    let ids: Vec<i64> = items.iter().map(|m| m.id).collect();
    let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, tag) in state.store.tags_of_messages(&ids).await? {
        tags_of.entry(id).or_default().push(tag.name);
    }
    let mut delivery_of: HashMap<i64, String> = HashMap::new();
    if view == MailView::Outbox {
        for m in &items {
            if let Some(o) = state.store.outgoing_for_message(m.id).await? {
                delivery_of.insert(m.id, delivery_text(&req, &o));
            }
        }
    }
    // Mail from followed customers stands out (LINK-5).
    let followed = state
        .store
        .followed_among(actor, &items.iter().map(|m| m.id).collect::<Vec<_>>())
        .await?;
    let rows: Vec<MailItem> = items
        .iter()
        .map(|m| MailItem {
            followed: followed.contains(&m.id),
            mail_type: m.mail_type_id.and_then(|t| labels.type_name(t)),
            tags: tags_of.remove(&m.id).unwrap_or_default(),
            deleted: m.deleted_at.map(|t| {
                req.t("mail.deleted_by")
                    .replace("{who}", m.deleted_by_name.as_deref().unwrap_or("?"))
                    .replace("{when}", &when(t, zone))
            }),
            delivery: delivery_of.remove(&m.id),
            id: m.id,
            href: format!(
                "{}&m={}",
                keep(href(&code, &team.query, account, after, None)),
                m.id
            ),
            who: who(&req, m),
            when: when(m.received_at, zone),
            subject: if m.subject.is_empty() {
                req.t("mail.no_subject")
            } else {
                m.subject.clone()
            },
            snippet: m.snippet.clone(),
            seen: m.seen,
            flagged: m.flagged,
            attach: m.has_attachments,
            on: Some(m.id) == open,
            age: (code == "pending").then(|| age(&req, m.received_at)),
            follow_up: follow_up_of.remove(&m.id),
        })
        .collect();
    let (message, conversation) = match opened {
        Some(detail) => {
            let (m, c) = open_message(
                &state,
                &req,
                detail,
                p.images == "1",
                &place,
                &all_accounts,
                &labels,
                &folders,
            )
            .await?;
            (Some(m), c)
        }
        None => (None, Vec::new()),
    };
    let account_choices: Vec<AccountChoice> = accounts
        .iter()
        .map(|a| AccountChoice {
            id: a.id,
            address: a.address.clone(),
            on: Some(a.id) == account,
        })
        .collect();
    let empty = req.t(if view == MailView::Pending {
        "mail.pending.empty"
    } else {
        "mail.empty"
    });
    let drafts: Vec<DraftRow> = if code == "drafts" {
        state
            .store
            .list_drafts(actor)
            .await?
            .into_iter()
            .map(|d| DraftRow {
                id: d.id,
                href: format!("/mail/compose?draft={}", d.id),
                subject: if d.subject.is_empty() {
                    req.t("mail.no_subject")
                } else {
                    d.subject
                },
                to: d.to,
                when: when(d.updated_at, zone),
            })
            .collect()
    } else {
        Vec::new()
    };
    let (title, current_folder) = match &view {
        MailView::UserFolder(id) => {
            let f = folders
                .iter()
                .find(|f| f.id == *id)
                .ok_or(wharf_core::DomainError::NotFound)?;
            (
                f.name.clone(),
                Some(OpenFolder {
                    id: f.id,
                    name: f.name.clone(),
                    local: f.local,
                }),
            )
        }
        MailView::Tag(id) => (
            labels
                .tags
                .iter()
                .find(|t| t.id == *id)
                .map(|t| t.name.clone())
                .ok_or(wharf_core::DomainError::NotFound)?,
            None,
        ),
        MailView::MailType(id) => (
            labels
                .type_name(*id)
                .ok_or(wharf_core::DomainError::NotFound)?,
            None,
        ),
        _ => (req.t(&format!("mail.view.{code}")), None),
    };
    let many_accounts = accounts.len() > 1;
    let address_of = |id: i64| {
        accounts
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.address.clone())
            .unwrap_or_default()
    };
    let mirror_notes: Vec<String> = state
        .store
        .account_mirror_notes(&accounts.iter().map(|a| a.id).collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|(id, note)| {
            format!(
                "{}: {}",
                address_of(id),
                req.t(&format!("mail.mirror.{note}"))
            )
        })
        .collect();
    let folder_links: Vec<SideLink> = folders
        .iter()
        .filter(|f| account.is_none_or(|a| a == f.account_id))
        .map(|f| {
            let code = format!("folder:{}", f.id);
            SideLink {
                href: href(&code, &team.query, account, None, None),
                name: f.name.clone(),
                on: code == code_in,
                id: f.id,
                account: many_accounts.then(|| address_of(f.account_id)),
                note: (!f.mirror_note.is_empty()).then(|| {
                    req.t(&format!("mail.mirror.folder.{}", f.mirror_note))
                        .replace("{folder}", &f.name)
                }),
            }
        })
        .collect();
    let tag_links: Vec<SideLink> = labels
        .tags
        .iter()
        .map(|t| {
            let code = format!("tag:{}", t.id);
            SideLink {
                href: href(&code, &team.query, account, None, None),
                name: t.name.clone(),
                on: code == code_in,
                id: t.id,
                account: None,
                note: None,
            }
        })
        .collect();
    let type_links: Vec<SideLink> = labels
        .types
        .iter()
        .map(|(id, name)| {
            let code = format!("type:{id}");
            SideLink {
                href: href(&code, &team.query, account, None, None),
                name: name.clone(),
                on: code == code_in,
                id: *id,
                account: None,
                note: None,
            }
        })
        .collect();
    Ok(page(
        &req,
        "mail/mailbox.html",
        "mail",
        &title,
        MailboxPage {
            views,
            view: code.clone(),
            accounts: account_choices,
            items: rows,
            more_href,
            parties: (!special).then(|| {
                std::iter::once(("", req.t("mail.party.all")))
                    .chain(
                        Party::ALL
                            .iter()
                            .map(|pt| (pt.code(), req.t(&format!("mail.party.{}", pt.code())))),
                    )
                    .map(|(c, label)| {
                        let base = href(&code, &team.query, account, None, None);
                        PartyLink {
                            code: if c.is_empty() { "all" } else { c },
                            label,
                            on: p.party == c,
                            href: if c.is_empty() {
                                base
                            } else {
                                format!("{base}&party={c}")
                            },
                        }
                    })
                    .collect()
            }),
            message,
            conversation,
            empty,
            shortcuts: shortcuts(&req),
            drafts,
            folders: folder_links,
            tags: tag_links,
            types: type_links,
            folder: current_folder,
            q: p.q.clone(),
            account,
            team: team.switch,
            mirror_notes,
        },
    ))
}

/// Server folders as people read them (their names come in modified UTF-7); folders
/// made in Wharf already carry the name as typed.
fn readable_folders(
    mut folders: Vec<wharf_store::mail::filing::UserFolder>,
) -> Vec<wharf_store::mail::filing::UserFolder> {
    for f in folders.iter_mut().filter(|f| !f.local) {
        f.name = wharf_mail::imap::decode_folder_name(&f.name);
    }
    folders
}

//! Mail → the mailbox (SPEC MAIL-2, 3, 5, 6, 7, 9): views (Inbox, Pending, Sent,
//! Drafts, Spam, Trash) over all the user's accounts or one, a keyset-paged list, and
//! the reading pane: the message sanitised inside a sandboxed frame, its conversation,
//! attachments (risky types warned), source and .eml download, and the actions.

use std::collections::HashMap;
use wharf_core::zone::Zone;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use wharf_core::mail_link::Party;
use wharf_mail::safe_html::is_risky_filename;
use wharf_store::mailbox_view::{MailQuery, MailView, MessageDetail, MessageSummary};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{page, pick, when};

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
}

fn href(view: &str, account: Option<i64>, after: Option<(i64, i64)>, m: Option<i64>) -> String {
    let mut s = format!("/mail?view={view}");
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

pub(crate) fn who(m: &MessageSummary) -> String {
    if m.direction == "out" {
        let to: Vec<wharf_mail::Mailbox> = serde_json::from_str(&m.to_addrs).unwrap_or_default();
        to.first()
            .map(|t| {
                if t.name.is_empty() {
                    t.address.clone()
                } else {
                    t.name.clone()
                }
            })
            .unwrap_or_default()
    } else if m.from_name.is_empty() {
        m.from_addr.clone()
    } else {
        m.from_name.clone()
    }
}

fn addresses(json: &str) -> String {
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

fn size_text(bytes: i64) -> String {
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
    let accounts = state.store.list_accounts(actor).await?;
    // Opening a message reads it: mark it before the counts are taken.
    if let Some(id) = open {
        let detail = state.store.get_message(actor, id).await?;
        // A hand-over's receiver reads without changing the owner's mailbox.
        if !detail.summary.seen
            && detail.deleted_at.is_none()
            && detail.grant == wharf_core::policy::MailGrant::Account
        {
            state.store.set_seen(actor, id, true).await?;
        }
    }
    let (unread, pending) = state.store.mail_counts(actor).await?;
    let due = state
        .store
        .due_follow_ups(&accounts.iter().map(|a| a.id).collect::<Vec<_>>())
        .await?;
    let (items, more) = match code_in {
        "followup" => (state.store.list_follow_ups(actor).await?, false),
        "handed" => (state.store.list_handed(actor).await?, false),
        _ => {
            state
                .store
                .list_mail(
                    actor,
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
    let code = if special {
        code_in.to_string()
    } else {
        view.code().to_string()
    };
    let views: Vec<Value> = ["inbox", "pending", "followup", "handed", "sent", "outbox", "drafts", "junk", "trash"]
        .iter()
        .map(|v| {
            let count = match *v {
                "inbox" if unread > 0 => unread,
                "pending" if pending > 0 => pending,
                "followup" if due > 0 => due,
                _ => 0,
            };
            context! { code => v, href => href(v, account, None, None), label => req.t(&format!("mail.view.{v}")), on => *v == code, count => count }
        })
        .collect();
    let more_href = if more {
        items
            .last()
            .map(|l| keep(href(&code, account, Some((l.received_at, l.id)), None)))
    } else {
        None
    };
    let labels = Labels::load(&state, &req).await?;
    let folders = state.store.user_folders(actor).await?;
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
    let rows: Vec<Value> = items
        .iter()
        .map(|m| {
            context! {
                followed => followed.contains(&m.id),
                mail_type => m.mail_type_id.and_then(|t| labels.type_name(t)),
                tags => tags_of.remove(&m.id).unwrap_or_default(),
                deleted => m.deleted_at.map(|t| req.t("mail.deleted_by").replace("{who}", m.deleted_by_name.as_deref().unwrap_or("?")).replace("{when}", &when(t, zone))),
                delivery => delivery_of.remove(&m.id),
                id => m.id, href => format!("{}&m={}", keep(href(&code, account, after, None)), m.id),
                who => who(m), when => when(m.received_at, zone), subject => if m.subject.is_empty() { req.t("mail.no_subject") } else { m.subject.clone() },
                snippet => m.snippet.clone(), seen => m.seen, flagged => m.flagged, attach => m.has_attachments,
                on => Some(m.id) == open,
                age => if code == "pending" { Some(age(&req, m.received_at)) } else { None },
            }
        })
        .collect();
    let (message, conversation) = match open {
        Some(id) => {
            let detail = state.store.get_message(actor, id).await?;
            let conv: Vec<Value> = state
                .store
                .conversation(actor, &detail.summary)
                .await?
                .iter()
                .map(|c| context! { href => format!("{}&m={}", keep(href(&code, account, after, None)), c.id), when => when(c.received_at, zone), who => who(c), subject => c.subject.clone(), on => c.id == id })
                .collect();
            let allow = p.images == "1"
                || state
                    .store
                    .images_allowed_from(actor, &detail.summary.from_addr)
                    .await?;
            let images_href = format!(
                "{}&m={}&images=1",
                keep(href(&code, account, after, None)),
                id
            );
            let here = format!("{}&m={}", keep(href(&code, account, after, None)), id);
            (
                Some(
                    reading_pane(
                        &state,
                        &req,
                        &detail,
                        allow,
                        zone,
                        &accounts,
                        PaneLinks {
                            images_href,
                            here,
                            labels: &labels,
                            folders: &folders,
                        },
                    )
                    .await?,
                ),
                conv,
            )
        }
        None => (None, Vec::new()),
    };
    let account_choices: Vec<Value> = accounts
        .iter()
        .map(|a| context! { id => a.id, address => a.address.clone(), on => Some(a.id) == account })
        .collect();
    let empty = req.t(if view == MailView::Pending {
        "mail.pending.empty"
    } else {
        "mail.empty"
    });
    let drafts: Vec<Value> = if code == "drafts" {
        state
            .store
            .list_drafts(actor)
            .await?
            .into_iter()
            .map(|d| context! {
                id => d.id, href => format!("/mail/compose?draft={}", d.id),
                subject => if d.subject.is_empty() { req.t("mail.no_subject") } else { d.subject },
                to => d.to, when => when(d.updated_at, zone),
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
                Some(context! { id => f.id, name => f.name.clone(), local => f.local }),
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
    let folder_links: Vec<Value> = folders
        .iter()
        .filter(|f| account.is_none_or(|a| a == f.account_id))
        .map(|f| {
            let code = format!("folder:{}", f.id);
            context! { href => href(&code, account, None, None), name => f.name.clone(), on => code == code_in, id => f.id,
                       account => many_accounts.then(|| address_of(f.account_id)) }
        })
        .collect();
    let tag_links: Vec<Value> = labels
        .tags
        .iter()
        .map(|t| {
            let code = format!("tag:{}", t.id);
            context! { href => href(&code, account, None, None), name => t.name.clone(), on => code == code_in, id => t.id }
        })
        .collect();
    let type_links: Vec<Value> = labels
        .types
        .iter()
        .map(|(id, name)| {
            let code = format!("type:{id}");
            context! { href => href(&code, account, None, None), name => name.clone(), on => code == code_in, id => id }
        })
        .collect();
    Ok(page(
        &req,
        "mailbox.html",
        "mail",
        &title,
        context! {
            views => views, view => code, accounts => account_choices, items => rows, more_href => more_href,
            parties => (!special).then(|| {
                std::iter::once(("", req.t("mail.party.all")))
                    .chain(Party::ALL.iter().map(|pt| (pt.code(), req.t(&format!("mail.party.{}", pt.code())))))
                    .map(|(c, label)| {
                        let base = href(&code, account, None, None);
                        context! { code => if c.is_empty() { "all" } else { c }, label => label, on => p.party == c,
                            href => if c.is_empty() { base } else { format!("{base}&party={c}") } }
                    })
                    .collect::<Vec<_>>()
            }),
            message => message, conversation => conversation, empty => empty,
            shortcuts => shortcuts(&req), drafts => drafts,
            folders => folder_links, tags => tag_links, types => type_links, folder => current_folder,
            q => p.q.clone(), account => account,
        },
    ))
}

/// Tags and mail types, named in the user's language.
struct Labels {
    tags: Vec<wharf_store::mail_handling::MailTag>,
    types: Vec<(i64, String)>,
}

impl Labels {
    async fn load(state: &AppState, req: &Req) -> Result<Labels, AppError> {
        let actor = req.actor()?;
        let types = state
            .store
            .list_dict(actor, wharf_core::dict::DictKind::MailType)
            .await?
            .into_iter()
            .map(|i| (i.id, pick(req.locale, &i.name_zh, &i.name_en)))
            .collect();
        Ok(Labels {
            tags: state.store.mail_tags(actor).await?,
            types,
        })
    }

    fn type_name(&self, id: i64) -> Option<String> {
        self.types
            .iter()
            .find(|(t, _)| *t == id)
            .map(|(_, n)| n.clone())
    }
}

/// "Failed: 550 no such user", "Waiting to be retried" …
fn delivery_text(req: &Req, o: &wharf_store::outgoing::Outgoing) -> String {
    let text = req.t(&format!("mail.delivery.{}", o.state));
    if o.last_error.is_empty() {
        text
    } else {
        format!("{text}: {}", o.last_error)
    }
}

/// Where the reading pane's "show images" link and its actions lead, and what the page
/// has already read for its filing controls.
struct PaneLinks<'a> {
    images_href: String,
    here: String,
    labels: &'a Labels,
    folders: &'a [wharf_store::mail_handling::UserFolder],
}

/// The keyboard shortcuts, as the help overlay lists them.
fn shortcuts(req: &Req) -> Vec<(String, String)> {
    [
        ("j / k", "mail.keys.next_prev"),
        ("r", "mail.reply"),
        ("a", "mail.reply_all"),
        ("f", "mail.forward"),
        ("c", "mail.compose.title"),
        ("s", "mail.star"),
        ("u", "mail.mark_unread"),
        ("e", "mail.dismiss"),
        ("#", "mail.trash"),
        ("g i / g p / g s", "mail.keys.go"),
        ("/", "search.keys.focus"),
        ("?", "mail.keys.title"),
    ]
    .into_iter()
    .map(|(k, label)| (k.to_string(), req.t(label)))
    .collect()
}

async fn reading_pane(
    state: &AppState,
    req: &Req,
    d: &MessageDetail,
    allow_images: bool,
    zone: &Zone,
    accounts: &[wharf_store::mail_accounts::Account],
    links: PaneLinks<'_>,
) -> Result<Value, AppError> {
    let PaneLinks {
        images_href,
        here,
        labels,
        folders,
    } = links;
    let (safe, raw) = super::mail_frame::safe_body(state, d, allow_images).await?;
    let s = &d.summary;
    let mut actions = vec![
        context! { action => format!("/mail/m/{}/seen", s.id), value => "0", id => "mark-unread", label => req.t("mail.mark_unread") },
        context! { action => format!("/mail/m/{}/flag", s.id), value => if s.flagged { "0" } else { "1" }, id => "star", label => req.t(if s.flagged { "mail.unstar" } else { "mail.star" }) },
    ];
    if s.direction == "in" && s.replied_at.is_none() && d.deleted_at.is_none() {
        actions.push(context! { action => format!("/mail/m/{}/dismiss", s.id), value => if d.pending_dismissed { "0" } else { "1" }, id => "dismiss", label => req.t(if d.pending_dismissed { "mail.undismiss" } else { "mail.dismiss" }) });
    }
    if req.actor()?.has(wharf_core::Permission::DeleteMail) {
        if d.deleted_at.is_some() {
            actions.push(context! { action => format!("/mail/m/{}/trash", s.id), value => "0", id => "restore", label => req.t("mail.restore") });
            if req.actor()?.has(wharf_core::Permission::PermanentDelete) {
                actions.push(context! { action => format!("/mail/m/{}/purge", s.id), value => "1", id => "purge", label => req.t("mail.purge") });
            }
        } else {
            actions.push(context! { action => format!("/mail/m/{}/trash", s.id), value => "1", id => "trash", label => req.t("mail.trash") });
        }
    }
    let attachments: Vec<Value> = d
        .attachments
        .iter()
        .filter(|a| !a.inline || a.content_id.is_empty())
        .map(|a| {
            let name = if a.filename.is_empty() { req.t("mail.unnamed_attachment") } else { a.filename.clone() };
            context! { href => format!("/mail/m/{}/attachments/{}", s.id, a.id), risky => is_risky_filename(&name), name => name, size => size_text(a.size) }
        })
        .collect();
    let account = accounts
        .iter()
        .find(|a| a.id == s.account_id)
        .map(|a| a.address.clone())
        .unwrap_or_default();
    let bounce = (s.is_bounce).then(|| req.t("mail.bounce"));
    let notes: Vec<Value> = state
        .store
        .mail_notes(req.actor()?, s.id)
        .await?
        .into_iter()
        .map(|n| {
            let head = match &n.to {
                Some(to) => req.t("mail.handover.line").replace("{from}", &n.author).replace("{to}", to),
                None => n.author.clone(),
            };
            context! { when => when(n.at, zone), head => head, text => n.text, handover => n.to.is_some() }
        })
        .collect();
    let colleagues: Vec<Value> = state
        .store
        .colleagues(req.actor()?)
        .await?
        .into_iter()
        .map(|(id, name)| context! { id => id, name => name })
        .collect();
    let follow_up = d.follow_up_at.map(|t| {
        let day = zone.day_of(t).iso();
        context! { day => day, when => when(t, zone), note => d.follow_up_note.clone(), due => t <= wharf_store::now() }
    });
    let outgoing = state.store.outgoing_for_message(s.id).await?;
    let delivery_failed = outgoing.as_ref().is_some_and(|o| o.state == "failed");
    let delivery = outgoing.map(|o| delivery_text(req, &o));
    // Filing and labels: the type, the tags, and the folders of this account.
    let types: Vec<Value> = labels
        .types
        .iter()
        .map(|(id, name)| context! { id => id, name => name.clone(), on => Some(*id) == s.mail_type_id })
        .collect();
    let tags: Vec<Value> = state
        .store
        .tags_of_messages(&[s.id])
        .await?
        .into_iter()
        .map(|(_, t)| context! { id => t.id, name => t.name })
        .collect();
    let filed_in: Vec<i64> = state
        .store
        .folders_of_message(req.actor()?, s.id)
        .await?
        .iter()
        .map(|f| f.id)
        .collect();
    let folders: Vec<Value> = folders
        .iter()
        .filter(|f| f.account_id == s.account_id)
        .map(|f| context! { id => f.id, name => f.name.clone(), here => filed_in.contains(&f.id) })
        .collect();
    let all_tags: Vec<String> = labels.tags.iter().map(|t| t.name.clone()).collect();
    let sender = sender_panel(state, req, d, zone).await?;
    let auth = state.store.message_auth(req.actor()?, s.id).await?;
    let signed = wharf_mail::signed::signature(&raw);
    let auth = super::mail_auth::pane(req, auth.as_ref(), signed.as_ref(), zone);
    Ok(context! {
        sender => sender, auth => auth,
        id => s.id, subject => if s.subject.is_empty() { req.t("mail.no_subject") } else { s.subject.clone() },
        from => if s.from_name.is_empty() { s.from_addr.clone() } else { format!("{} <{}>", s.from_name, s.from_addr) },
        to => addresses(&s.to_addrs), cc => addresses(&d.cc_addrs), when => when(d.sent_at.unwrap_or(s.received_at), zone),
        account => account, replied => s.replied_at.map(|t| req.t("mail.replied").replace("{when}", &when(t, zone))),
        types => types, tags => tags, all_tags => all_tags, folders => folders, filed => !filed_in.is_empty(),
        bounce => bounce, delivery => delivery, delivery_failed => delivery_failed, notes => notes, colleagues => colleagues, follow_up => follow_up,
        parse_error => (!d.parse_error.is_empty()).then(|| d.parse_error.clone()), defect => (!d.defect.is_empty()).then(|| d.defect.clone()),
        actions => actions, attachments => attachments,
        blocked_images => (safe.blocked_images > 0).then(|| req.t("mail.images.blocked").replace("{n}", &safe.blocked_images.to_string())),
        images_href => images_href, back => here,
        frame_src => format!("/mail/m/{}/body{}", s.id, if allow_images { "?images=1" } else { "" }),
    })
}

/// The side panel of a message (LINK-4, LINK-6, MAIL-4): what the sender is to the
/// company, the customers the address matches (another's only by its owners; a match
/// by company domain as a suggestion), and the latest mail and files with the address.
/// Users who do not work customers get none.
async fn sender_panel(
    state: &AppState,
    req: &Req,
    d: &MessageDetail,
    zone: &Zone,
) -> Result<Option<Value>, AppError> {
    let actor = req.actor()?;
    if !actor.has(wharf_core::Permission::Customers) {
        return Ok(None);
    }
    let s = &d.summary;
    let address = if s.direction == "in" {
        s.from_addr.clone()
    } else {
        serde_json::from_str::<Vec<wharf_mail::Mailbox>>(&s.to_addrs)
            .unwrap_or_default()
            .first()
            .map(|m| m.address.clone())
            .unwrap_or_default()
    };
    let party = state.store.message_party(actor, s.id).await?;
    let inquiry = wharf_core::inquiry::parse_with(
        &state.inquiry_layouts,
        &s.from_addr,
        &s.subject,
        &d.body_text,
    );
    let found = state.store.sender_matches(actor, s.id).await?;
    // The quick entry is offered unless the address is already a customer's.
    let known = found.iter().any(|m| m.via == "email");
    let quick_href = (inquiry.is_some() || !known).then(|| format!("/mail/m/{}/customer", s.id));
    let matches: Vec<Value> = found
        .into_iter()
        .map(|m| {
            let owners = if m.shared {
                req.t("customer.pool")
            } else {
                m.owners.join(", ")
            };
            context! {
                visible => m.visible, name => m.name, href => m.visible.then(|| format!("/customers/{}", m.customer_id)),
                stage => (!m.stage.is_empty()).then(|| req.t(&format!("customer.stage.{}", m.stage))),
                contact => m.contact, by_domain => m.via == "domain", follow => m.follow,
                owners => owners.clone(),
                others => req.t("mail.sender.others").replace("{owners}", &owners),
            }
        })
        .collect();
    let recent: Vec<Value> = if address.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .address_mail(actor, &address, 6)
            .await?
            .into_iter()
            .filter(|m| m.id != s.id)
            .take(5)
            .map(|m| {
                let view = if m.folder_role.is_empty() { "inbox".to_string() } else { m.folder_role.clone() };
                context! { href => format!("/mail?view={view}&m={}", m.id), when => when(m.received_at, zone), out => m.direction == "out", subject => m.subject.clone() }
            })
            .collect()
    };
    let files: Vec<Value> = if address.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .address_files(actor, &address, 5)
            .await?
            .into_iter()
            .map(|f| context! { name => f.filename, href => format!("/mail/m/{}/attachments/{}", f.message_id, f.id), when => when(f.received_at, zone) })
            .collect()
    };
    Ok(Some(context! {
        address => address,
        party => party.map(|p| p.code()), party_label => party.map(|p| req.t(&format!("mail.party.{}", p.code()))),
        matches => matches, recent => recent, files => files, quick_href => quick_href,
        inquiry => inquiry.map(|i| req.t("mail.quick.inquiry_short").replace("{platform}", &i.platform)
            .replace("{buyer}", &[i.buyer_name, i.company, i.country].into_iter().filter(|v| !v.is_empty()).collect::<Vec<_>>().join(", "))),
    }))
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(char::from(T[(n >> 18) as usize & 63]));
        out.push(char::from(T[(n >> 12) as usize & 63]));
        out.push(if chunk.len() > 1 {
            char::from(T[(n >> 6) as usize & 63])
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            char::from(T[n as usize & 63])
        } else {
            '='
        });
    }
    out
}

// ---- actions -------------------------------------------------------------------------

/// Back to where the user was (the list with this message open); only local mail URLs.
pub(crate) fn back(form: &FormData, id: i64) -> Response {
    let target = Some(form.get("back"))
        .filter(|b| b.starts_with("/mail?") && !b.contains("//"))
        .unwrap_or_else(|| format!("/mail?view=inbox&m={id}"));
    // `FormData` has refused a `back` that is not a same-site path before any action.
    crate::redirect::to(&target).unwrap_or_else(IntoResponse::into_response)
}

pub async fn set_seen(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_seen(req.actor()?, id, form.get("value") == "1")
        .await?;
    // Marking unread closes the message, or opening it would mark it read again.
    Ok(Redirect::to("/mail").into_response())
}

pub async fn set_flag(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_flagged(req.actor()?, id, form.get("value") == "1")
        .await?;
    Ok(back(&form, id))
}

pub async fn dismiss(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_pending_dismissed(req.ctx()?, id, form.get("value") == "1")
        .await?;
    Ok(back(&form, id))
}

pub async fn trash(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let trashed = form.get("value") == "1";
    state.store.set_trashed(req.ctx()?, id, trashed).await?;
    Ok(Redirect::to(if trashed { "/mail?view=trash" } else { "/mail" }).into_response())
}

pub async fn hand_over(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let to = form.get("to_user").parse::<i64>().unwrap_or(0);
    state
        .store
        .hand_over(req.ctx()?, id, to, &form.get("note"))
        .await?;
    Ok(back(&form, id))
}

pub async fn comment(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .add_comment(req.ctx()?, id, &form.get("comment"))
        .await?;
    Ok(back(&form, id))
}

/// Sets the follow-up day (the reminder falls at 09:00 company time) or clears it.
pub async fn follow_up(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let at = if form.get("clear") == "1" {
        None
    } else {
        // A follow-up is due at 09:00 company time on its day.
        let zone = req.zone()?;
        crate::form::day_field(&form.get("follow_up_at"), "follow_up_at", "invalid_choice")?
            .map(|day| zone.at_clock(day, 9, 0))
    };
    state
        .store
        .set_follow_up(actor, id, at, &form.get("follow_up_note"))
        .await?;
    Ok(back(&form, id))
}

/// Deletes a message in Trash for good (with the permission; audited).
pub async fn purge(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(ask) = super::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/mail/m/{id}/purge"),
        "action.confirm_delete",
        "/mail?view=trash",
    ) {
        return Ok(ask);
    }
    state.store.delete_permanently(req.ctx()?, id).await?;
    Ok(Redirect::to("/mail?view=trash").into_response())
}

pub async fn trust_images(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let m = state.store.get_message(req.actor()?, id).await?;
    state
        .store
        .allow_images_from(req.actor()?, &m.summary.from_addr)
        .await?;
    Ok(back(&form, id))
}

// ---- live updates --------------------------------------------------------------------

/// Server-sent events with the unread and Pending counts, sent when they change (the
/// page updates its badges and announces new mail). A comment every few seconds lets a
/// closed page's stream end soon; the readable accounts are looked up once a minute.
pub async fn events(
    State(state): State<AppState>,
    req: Req,
    headers: axum::http::HeaderMap,
) -> Result<
    axum::response::sse::Sse<
        impl futures_util::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
    >,
    AppError,
> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    struct Watch {
        store: wharf_store::Store,
        actor: wharf_core::Actor,
        accounts: Vec<i64>,
        accounts_at: i64,
        last: Option<(i64, i64, i64, i64)>,
        caller: crate::pages::live::Caller,
    }
    let watch = Watch {
        caller: crate::pages::live::Caller::of(&req, &headers),
        store: state.store.clone(),
        actor: req.actor()?.clone(),
        accounts: Vec::new(),
        accounts_at: 0,
        last: None,
    };
    let stream = futures_util::stream::unfold(watch, |mut w| async move {
        loop {
            // The stream ends with the session or token it was opened with.
            if !w.caller.still_signed_in(&w.store).await {
                return None;
            }
            let now = wharf_store::now();
            if now - w.accounts_at >= 60 {
                w.accounts = w
                    .store
                    .readable_account_ids(&w.actor)
                    .await
                    .unwrap_or_default();
                w.accounts_at = now;
            }
            if let Ok(counts) = w.store.counts_for_accounts(&w.accounts).await
                && let Ok(due) = w.store.due_follow_ups(&w.accounts).await
                && let Ok((followed, latest)) = w.store.followed_unread(&w.actor, &w.accounts).await
                && Some((counts.0, counts.1, due, followed)) != w.last
            {
                w.last = Some((counts.0, counts.1, due, followed));
                let data = serde_json::json!({
                    "unread": counts.0, "pending": counts.1, "due": due, "followed": followed,
                    "followed_latest": latest.map(|(id, name)| serde_json::json!({ "id": id, "name": name })),
                })
                .to_string();
                return Some((Ok(Event::default().event("counts").data(data)), w));
            }
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(5))))
}

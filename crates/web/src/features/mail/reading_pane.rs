//! The reading pane of the mailbox: the open message, its delivery state, its sender's
//! panel and the keyboard shortcuts.

use wharf_core::zone::Zone;
use wharf_mail::safe_html::is_risky_filename;
use wharf_store::mail::view::MessageDetail;

use super::mailbox::{addresses, size_text};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::views::{
    AttachmentLink, FollowUp, Label, MessagePane, NoteLine, PaneAction, RecentFile, RecentMail,
    SenderMatch, SenderPanel,
};
use crate::render::{pick, when};

/// Tags and mail types, named in the user's language.
pub(super) struct Labels {
    pub(super) tags: Vec<wharf_store::mail::filing::MailTag>,
    pub(super) types: Vec<(i64, String)>,
}

impl Labels {
    pub(super) async fn load(state: &AppState, req: &Req) -> Result<Labels, AppError> {
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

    pub(super) fn type_name(&self, id: i64) -> Option<String> {
        self.types
            .iter()
            .find(|(t, _)| *t == id)
            .map(|(_, n)| n.clone())
    }
}

/// "Failed: 550 no such user", "Waiting to be retried" …
pub(super) fn delivery_text(req: &Req, o: &wharf_store::mail::outgoing::Outgoing) -> String {
    delivery_text_in(req.locale, o)
}

/// [`delivery_text`] in `locale` (the live stream has no request at hand).
pub(super) fn delivery_text_in(
    locale: crate::i18n::Locale,
    o: &wharf_store::mail::outgoing::Outgoing,
) -> String {
    let text = crate::i18n::t(locale, &format!("mail.delivery.{}", o.state));
    if o.last_error.is_empty() {
        text
    } else {
        format!("{text}: {}", o.last_error)
    }
}

/// Where the reading pane's "show images" link and its actions lead, and what the page
/// has already read for its filing controls.
pub(super) struct PaneLinks<'a> {
    pub(super) images_href: String,
    pub(super) here: String,
    /// The list without the message open.
    pub(super) list_href: String,
    pub(super) labels: &'a Labels,
    pub(super) folders: &'a [wharf_store::mail::filing::UserFolder],
}

/// The keyboard shortcuts, as the help overlay lists them.
pub(super) fn shortcuts(req: &Req) -> Vec<(String, String)> {
    [
        ("j / k  ↓ / ↑", "mail.keys.next_prev"),
        ("Enter", "mail.keys.open"),
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

pub(super) async fn reading_pane(
    state: &AppState,
    req: &Req,
    d: &MessageDetail,
    allow_images: bool,
    zone: &Zone,
    accounts: &[wharf_store::mail::accounts::Account],
    links: PaneLinks<'_>,
) -> Result<MessagePane, AppError> {
    let PaneLinks {
        images_href,
        here,
        list_href,
        labels,
        folders,
    } = links;
    let (safe, raw) =
        super::frame::safe_body(state, d, allow_images, &req.t("mail.quoted.show")).await?;
    let s = &d.summary;
    let action = |path: &str, value: &'static str, id: &'static str, label: &str| PaneAction {
        action: format!("/mail/m/{}/{path}", s.id),
        value,
        id,
        label: req.t(label),
    };
    // A supervisor reads without changing the owner's mailbox (the store refuses too).
    let can_handle = d.grant.allows_handling(
        req.actor()?,
        wharf_core::policy::MailAction::Handle,
        d.handles,
    ) == wharf_core::policy::Decision::Allow;
    let mut actions = Vec::new();
    if can_handle {
        actions.push(action("seen", "0", "mark-unread", "mail.mark_unread"));
        actions.push(if s.flagged {
            action("flag", "0", "star", "mail.unstar")
        } else {
            action("flag", "1", "star", "mail.star")
        });
    }
    if can_handle && s.direction == "in" && s.replied_at.is_none() && d.deleted_at.is_none() {
        actions.push(if d.pending_dismissed {
            action("dismiss", "0", "dismiss", "mail.undismiss")
        } else {
            action("dismiss", "1", "dismiss", "mail.dismiss")
        });
    }
    if can_handle && s.direction == "in" && d.deleted_at.is_none() {
        actions.push(if s.folder_role == "junk" {
            action("spam", "0", "not-spam", "mail.not_spam")
        } else {
            action("spam", "1", "spam", "mail.spam")
        });
    }
    if req.actor()?.has(wharf_core::Permission::DeleteMail) {
        if d.deleted_at.is_some() {
            actions.push(action("trash", "0", "restore", "mail.restore"));
            if req.actor()?.has(wharf_core::Permission::PermanentDelete) {
                actions.push(action("purge", "1", "purge", "mail.purge"));
            }
        } else {
            actions.push(action("trash", "1", "trash", "mail.trash"));
        }
    }
    let attachments: Vec<AttachmentLink> = d
        .attachments
        .iter()
        .filter(|a| !a.inline || a.content_id.is_empty())
        .map(|a| {
            let name = if a.filename.is_empty() {
                req.t("mail.unnamed_attachment")
            } else {
                a.filename.clone()
            };
            AttachmentLink {
                href: format!("/mail/m/{}/attachments/{}", s.id, a.id),
                preview: super::previews::declared_previewable(&a.content_type)
                    .then(|| format!("/mail/m/{}/attachments/{}/preview", s.id, a.id)),
                risky: is_risky_filename(&name),
                name,
                size: size_text(a.size),
            }
        })
        .collect();
    let account = accounts
        .iter()
        .find(|a| a.id == s.account_id)
        .map(|a| a.address.clone())
        .unwrap_or_default();
    let bounce = (s.is_bounce).then(|| req.t("mail.bounce"));
    let notes: Vec<NoteLine> = state
        .store
        .mail_notes(req.actor()?, s.id)
        .await?
        .into_iter()
        .map(|n| {
            let head = match &n.to {
                Some(to) => req
                    .t("mail.handover.line")
                    .replace("{from}", &n.author)
                    .replace("{to}", to),
                None => n.author.clone(),
            };
            NoteLine {
                when: when(n.at, zone),
                head,
                text: n.text,
                handover: n.to.is_some(),
            }
        })
        .collect();
    let label = |id: i64, name: String| Label {
        id,
        name,
        on: false,
        here: false,
    };
    let colleagues: Vec<Label> = state
        .store
        .colleagues(req.actor()?)
        .await?
        .into_iter()
        .map(|(id, name)| label(id, name))
        .collect();
    let follow_up = d.follow_up_at.map(|t| {
        let day = zone.day_of(t).iso();
        FollowUp {
            day,
            when: when(t, zone),
            note: d.follow_up_note.clone(),
            due: t <= wharf_store::now(),
        }
    });
    let outgoing = state.store.outgoing_for_message(s.id).await?;
    let delivery_failed = outgoing.as_ref().is_some_and(|o| o.state == "failed");
    let delivery_state = outgoing.as_ref().map(|o| o.state.clone());
    let delivery = outgoing.map(|o| delivery_text(req, &o));
    // Filing and labels: the type, the tags, and the folders of this account.
    let types: Vec<Label> = labels
        .types
        .iter()
        .map(|(id, name)| Label {
            on: Some(*id) == s.mail_type_id,
            ..label(*id, name.clone())
        })
        .collect();
    let tags: Vec<Label> = state
        .store
        .tags_of_messages(&[s.id])
        .await?
        .into_iter()
        .map(|(_, t)| label(t.id, t.name))
        .collect();
    let filed_in: Vec<i64> = state
        .store
        .folders_of_read_message(d)
        .await?
        .iter()
        .map(|f| f.id)
        .collect();
    let folders: Vec<Label> = folders
        .iter()
        .filter(|f| f.account_id == s.account_id)
        .map(|f| Label {
            here: filed_in.contains(&f.id),
            ..label(f.id, f.name.clone())
        })
        .collect();
    let all_tags: Vec<String> = labels.tags.iter().map(|t| t.name.clone()).collect();
    let sender = sender_panel(state, req, d, zone).await?;
    let auth = state.store.message_auth(req.actor()?, s.id).await?;
    let signed = wharf_mail::signed::signature(&raw);
    let auth = super::authentication::pane(req, auth.as_ref(), signed.as_ref(), zone);
    Ok(MessagePane {
        can_handle,
        sender,
        auth,
        id: s.id,
        subject: if s.subject.is_empty() {
            req.t("mail.no_subject")
        } else {
            s.subject.clone()
        },
        from: if s.from_name.is_empty() {
            s.from_addr.clone()
        } else {
            format!("{} <{}>", s.from_name, s.from_addr)
        },
        to: addresses(&s.to_addrs),
        cc: addresses(&d.cc_addrs),
        when: when(d.sent_at.unwrap_or(s.received_at), zone),
        account,
        replied: s
            .replied_at
            .map(|t| req.t("mail.replied").replace("{when}", &when(t, zone))),
        types,
        tags,
        all_tags,
        folders,
        filed: !filed_in.is_empty(),
        bounce,
        delivery,
        delivery_failed,
        delivery_state,
        notes,
        colleagues,
        follow_up,
        parse_error: (!d.parse_error.is_empty()).then(|| d.parse_error.clone()),
        defect: (!d.defect.is_empty()).then(|| d.defect.clone()),
        actions,
        attachments,
        blocked_images: (safe.blocked_images > 0).then(|| {
            req.t("mail.images.blocked")
                .replace("{n}", &safe.blocked_images.to_string())
        }),
        images_href,
        back: here,
        list_href,
        frame_src: format!(
            "/mail/m/{}/body{}",
            s.id,
            if allow_images { "?images=1" } else { "" }
        ),
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
) -> Result<Option<SenderPanel>, AppError> {
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
    let inquiry = wharf_core::mail::inquiry::parse_with(
        &state.inquiry_layouts,
        &s.from_addr,
        &s.subject,
        &d.body_text,
    );
    let found = state.store.sender_matches(actor, s.id).await?;
    // The quick entry is offered unless the address is already a customer's.
    let known = found.iter().any(|m| m.via == "email");
    let quick_href = (inquiry.is_some() || !known).then(|| format!("/mail/m/{}/customer", s.id));
    let matches: Vec<SenderMatch> = found
        .into_iter()
        .map(|m| {
            let owners = if m.shared {
                req.t("customer.pool")
            } else {
                m.owners.join(", ")
            };
            SenderMatch {
                visible: m.visible,
                name: m.name,
                href: m.visible.then(|| format!("/customers/{}", m.customer_id)),
                stage: (!m.stage.is_empty()).then(|| req.t(&format!("customer.stage.{}", m.stage))),
                contact: m.contact,
                by_domain: m.via == "domain",
                follow: m.follow,
                others: req.t("mail.sender.others").replace("{owners}", &owners),
                owners,
            }
        })
        .collect();
    let recent: Vec<RecentMail> = if address.is_empty() {
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
                let view = if m.folder_role.is_empty() {
                    "inbox".to_string()
                } else {
                    m.folder_role.clone()
                };
                RecentMail {
                    href: format!("/mail?view={view}&m={}", m.id),
                    when: when(m.received_at, zone),
                    out: m.direction == "out",
                    subject: m.subject.clone(),
                }
            })
            .collect()
    };
    let files: Vec<RecentFile> = if address.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .address_files(actor, &address, 5)
            .await?
            .into_iter()
            .map(|f| RecentFile {
                href: format!("/mail/m/{}/attachments/{}", f.message_id, f.id),
                when: when(f.received_at, zone),
                name: f.filename,
            })
            .collect()
    };
    Ok(Some(SenderPanel {
        address,
        party: party.map(|p| p.code()),
        party_label: party.map(|p| req.t(&format!("mail.party.{}", p.code()))),
        matches,
        recent,
        files,
        quick_href,
        inquiry: inquiry.map(|i| {
            let buyer = [i.buyer_name, i.company, i.country]
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            req.t("mail.quick.inquiry_short")
                .replace("{platform}", &i.platform)
                .replace("{buyer}", &buyer)
        }),
    }))
}

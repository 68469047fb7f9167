//! A customer's page: profile, contacts, owners, owner log, field history, mail, files,
//! documents and one timeline.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::fields::{FieldValue, Record};
use wharf_store::customers::Contact;

use super::columns;
use super::labels::{Reading, field_text, item_names};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::customers::views::{
    ContactCard, DocumentRow, FileRow, HistoryRow, LabelValue, MailRow, Named, OwnerLogRow,
    ShowPage,
};
use crate::features::records::timeline::{Read, TrailParams, customer_trail};
use crate::render::{page, when};

// ---- one customer --------------------------------------------------------------------

pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(trail_params): Query<TrailParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let d = state.store.get_customer(actor, id).await?;
    let zone = req.zone()?;
    let c = &d.customer;
    let items = item_names(&state, &req).await?;
    // The registry's fields for the page, in its order, then the custom ones.
    let mut profile: Vec<(String, String)> = CUSTOMER_FIELDS
        .fields
        .iter()
        .filter(|f| f.on_page)
        .map(|f| {
            let value = c.value(f.key).unwrap_or(FieldValue::Text(String::new()));
            (
                req.t(f.label),
                field_text(&req, f, &value, &items, zone, Reading::Page),
            )
        })
        .collect();
    let defs = state.store.custom_fields(actor).await?;
    for f in &defs {
        let value = c.custom.iter().find(|(id, _)| *id == f.id);
        profile.push((
            f.label.clone(),
            value.map(|(_, v)| v.clone()).unwrap_or_default(),
        ));
    }
    let profile: Vec<LabelValue> = profile
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(label, value)| LabelValue { label, value })
        .collect();
    let contacts: Vec<ContactCard> = d.contacts.iter().map(|k| contact_view(&req, k)).collect();
    // History values as the user reads them: names, not codes or ids.
    let readable = |field: &str, value: &str| -> String {
        match CUSTOMER_FIELDS.get(field) {
            _ if value.is_empty() => String::new(),
            Some(f) => {
                let value = FieldValue::parse(f.kind.storage(), value);
                field_text(&req, f, &value, &items, zone, Reading::History)
            }
            None => value.to_string(),
        }
    };
    let history: Vec<HistoryRow> = state
        .store
        .customer_history(actor, id)
        .await?
        .into_iter()
        .map(|h| {
            let (old, new) = (
                readable(&h.field, &h.old_value),
                readable(&h.field, &h.new_value),
            );
            let field = if wharf_core::custom_field::parse_key(&h.field).is_some() {
                // A custom field deleted since keeps its key in the history.
                Some(columns::label(&req, &h.field, &defs))
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| h.field.clone())
            } else {
                CUSTOMER_FIELDS
                    .get(&h.field)
                    .map_or_else(|| h.field.clone(), |f| req.t(f.label))
            };
            HistoryRow {
                when: when(h.at, zone),
                user: h.user,
                field,
                old,
                new,
            }
        })
        .collect();
    // The owner log and the documents are read once: their own lists and the timeline.
    let owner_entries = state.store.customer_owner_log(actor, id).await?;
    let owner_text = |action: &str, before: &str, after: &str| {
        req.t(&format!("customer.owner_log.{action}"))
            .replace("{before}", before)
            .replace("{after}", after)
    };
    let owner_log: Vec<OwnerLogRow> = owner_entries
        .iter()
        .map(|o| OwnerLogRow {
            when: when(o.at, zone),
            user: o.user.clone(),
            text: owner_text(&o.action, &o.before, &o.after),
        })
        .collect();
    let document_rows = state.store.documents(actor, id).await?;
    let documents: Vec<DocumentRow> = document_rows
        .iter()
        .map(|d| DocumentRow {
            id: d.id,
            name: d.filename.clone(),
            size: format!("{} KB", (d.size + 1023) / 1024),
            by: d.uploaded_by.clone(),
            when: when(d.created_at, zone),
        })
        .collect();
    let owners = if c.sharing == "shared" {
        req.t("customer.pool")
    } else {
        c.owners
            .iter()
            .map(|o| crate::i18n::person(req.locale, &o.1))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The mail with its contacts (both directions, the accounts the user may read) and
    // the files exchanged (LINK-4).
    let mails = state.store.customer_mail(actor, id, 200).await?;
    // One row per conversation: its latest mail, with how many there are.
    let mut in_thread: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for m in &mails {
        *in_thread.entry(m.thread_id.unwrap_or(-m.id)).or_default() += 1;
    }
    let mut shown_threads = std::collections::HashSet::new();
    let mail_rows: Vec<MailRow> = mails
        .iter()
        .filter(|m| shown_threads.insert(m.thread_id.unwrap_or(-m.id)))
        .map(|m| {
            let count = in_thread
                .get(&m.thread_id.unwrap_or(-m.id))
                .copied()
                .unwrap_or(1);
            let view = if m.folder_role.is_empty() {
                "inbox"
            } else {
                m.folder_role.as_str()
            };
            MailRow {
                id: m.id,
                href: format!("/mail?view={view}&m={}", m.id),
                when: when(m.received_at, zone),
                out: m.direction == "out",
                who: crate::features::mail::mailbox::who(&req, m),
                subject: m.subject.clone(),
                attach: m.has_attachments,
                unread: !m.seen,
                count: (count > 1).then_some(count),
            }
        })
        .collect();
    let files: Vec<FileRow> = state
        .store
        .customer_files(actor, id, 200)
        .await?
        .into_iter()
        .map(|f| FileRow {
            size: format!("{} KB", (f.size + 1023) / 1024),
            when: when(f.received_at, zone),
            out: f.direction == "out",
            href: format!("/mail/m/{}/attachments/{}", f.message_id, f.id),
            mail_href: format!("/mail?view=inbox&m={}", f.message_id),
            name: f.filename,
            subject: f.subject,
        })
        .collect();
    // One trail of everything that happened with the customer (features/records).
    let owner_texts: Vec<_> = owner_entries
        .iter()
        .map(|o| (o.clone(), owner_text(&o.action, &o.before, &o.after)))
        .collect();
    let (stage_bar, stage_events) =
        crate::features::pipeline::stage_bar::stage_bar(&state, &req, id).await?;
    let trail = customer_trail(
        &state,
        &req,
        Read {
            detail: &d,
            mails: &mails,
            documents: &document_rows,
            owner_log: &owner_texts,
            stage_log: &stage_events,
        },
        &trail_params,
    )
    .await?;
    let staff: Vec<Named> = if d.may_edit {
        state
            .store
            .active_staff(actor)
            .await?
            .into_iter()
            .map(|(id, name)| Named {
                on: c.owners.iter().any(|o| o.0 == id),
                id,
                name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(page(
        &req,
        "customers/show.html",
        "customers",
        &c.name,
        ShowPage {
            id,
            name: c.name.clone(),
            follow: c.follow,
            sharing: req.t(&format!("customer.sharing.{}", c.sharing)),
            owners,
            in_pool: c.sharing == "shared",
            may_edit: d.may_edit,
            is_owner: c.owners.iter().any(|o| o.0 == actor.user_id),
            profile,
            contacts,
            history,
            owner_log,
            staff,
            documents,
            mails: mail_rows,
            mail_total: mails.len(),
            files,
            trail,
            stage_bar,
            groups: state.store.groups_of(actor, id).await?,
            all_groups: state
                .store
                .customer_groups(actor)
                .await?
                .into_iter()
                .map(|g| g.name)
                .collect(),
            transfer_requests: if d.may_edit {
                super::transfer_requests::rows(
                    &req,
                    state
                        .store
                        .transfer_requests_to_decide(actor, Some(id))
                        .await?,
                )?
            } else {
                Vec::new()
            },
        },
    ))
}

pub(crate) fn contact_view(req: &Req, k: &Contact) -> ContactCard {
    let ims: Vec<String> = [
        ("WhatsApp", &k.whatsapp),
        ("WeChat", &k.wechat),
        ("Skype", &k.skype),
        ("QQ", &k.qq),
        ("LinkedIn", &k.linkedin),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(l, v)| format!("{l}: {v}"))
    .collect();
    ContactCard {
        id: k.id,
        name: k.name.clone(),
        title: k.title.clone(),
        emails: k.emails.clone(),
        phones: k.phones.clone(),
        ims: ims.join(" · "),
        primary: k.is_primary,
        notes: k.notes.clone(),
        gender: if k.gender.is_empty() {
            String::new()
        } else {
            req.t(&format!("contact.gender.{}", k.gender))
        },
    }
}

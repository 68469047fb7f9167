//! Recipient suggestions for the To / Cc boxes (`GET /api/v1/mail/recipients?q=`): the
//! contacts of the customers the actor may see (through the one policy, so never a
//! colleague's private contacts) and the people the actor recently wrote to.

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use wharf_core::Permission;
use wharf_mail::Mailbox;
use wharf_store::mail::view::{MailQuery, MailView};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// At most this many suggestions: a short list to pick from, not a directory.
const LIMIT: usize = 10;
/// How many of the actor's recent sent messages are looked through.
const RECENT: i64 = 200;

#[derive(Deserialize, Default)]
pub struct RecipientParams {
    #[serde(default)]
    q: String,
}

/// One suggestion: `value` goes into the box as typed (`"Name" <address>`), `label`
/// is what the list shows (with the customer, when known).
#[derive(Serialize, Debug, PartialEq)]
pub struct Suggestion {
    pub value: String,
    pub label: String,
}

pub async fn recipients(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<RecipientParams>,
) -> Result<Json<Vec<Suggestion>>, AppError> {
    let actor = req.actor()?;
    let q: String =
        p.q.trim()
            .chars()
            .take(100)
            .collect::<String>()
            .to_lowercase();
    let mut out: Vec<Suggestion> = Vec::new();
    if q.is_empty() {
        return Ok(Json(out));
    }
    let mut push = |name: &str, address: &str, company: Option<&str>| {
        let address = address.trim();
        if address.is_empty()
            || out.iter().any(|s| {
                s.value
                    .to_lowercase()
                    .contains(&format!("<{}>", address.to_lowercase()))
            })
        {
            return;
        }
        let m = Mailbox {
            name: name.trim().to_string(),
            address: address.to_string(),
        };
        let value = super::compose::shown(&m);
        let label = match company.filter(|c| !c.is_empty()) {
            Some(c) => format!("{value} · {c}"),
            None => value.clone(),
        };
        out.push(Suggestion { value, label });
    };
    if actor.has(Permission::Customers) {
        let contacts = state
            .store
            .list_contacts(actor, Some(&q), 1, LIMIT as i64)
            .await?;
        for row in &contacts.items {
            for address in row.contact.emails.split([',', ';', ' ', '\n']) {
                if address.to_lowercase().contains(&q)
                    || row.contact.name.to_lowercase().contains(&q)
                {
                    push(&row.contact.name, address, Some(&row.customer_name));
                }
            }
        }
    }
    let (sent, _) = state
        .store
        .list_mail(
            actor,
            &MailQuery {
                view: MailView::Folder("sent".into()),
                account_id: None,
                after: None,
                limit: RECENT,
                text: None,
                party: None,
            },
        )
        .await?;
    for m in &sent {
        for r in super::compose::addresses_of(&m.to_addrs) {
            if r.address.to_lowercase().contains(&q) || r.name.to_lowercase().contains(&q) {
                push(&r.name, &r.address, None);
            }
        }
    }
    out.truncate(LIMIT);
    Ok(Json(out))
}

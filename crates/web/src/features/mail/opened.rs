//! The message open in the reading pane: where in the list it was opened (for its
//! links), its pane and conversation, and the pane alone for the page's script.

use serde::Serialize;
use wharf_core::mail::link::Party;
use wharf_store::mail::view::MessageDetail;

use super::mailbox::{author, href};
use super::reading_pane::{Labels, PaneLinks, reading_pane};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::views::{ConversationItem, MessagePane};
use crate::render::when;

/// The list a message is opened from: view code, account, keyset page, sender filter.
pub(super) struct ListPlace {
    pub(super) code: String,
    /// The team view's part of the query (`&scope=team&user=…`, or empty).
    pub(super) scope: String,
    pub(super) account: Option<i64>,
    pub(super) after: Option<(i64, i64)>,
    pub(super) party: Option<Party>,
}

impl ListPlace {
    /// The list's own URL (links within it keep the sender filter).
    pub(super) fn list_href(&self) -> String {
        let s = href(&self.code, &self.scope, self.account, self.after, None);
        match self.party {
            Some(pt) => format!("{s}&party={}", pt.code()),
            None => s,
        }
    }

    pub(super) fn message_href(&self, id: i64) -> String {
        format!("{}&m={id}", self.list_href())
    }
}

/// `mail/pane_fragment.html`'s data: the reading pane without the page around it.
#[derive(Serialize)]
pub(super) struct PaneFragment {
    pub(super) message: Option<MessagePane>,
    pub(super) conversation: Vec<ConversationItem>,
}

/// The reading pane of an opened message (the store's `open_message`, which reads it
/// for its mailbox's own users) and its conversation, with links back into `place`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn open_message(
    state: &AppState,
    req: &Req,
    detail: MessageDetail,
    images: bool,
    place: &ListPlace,
    accounts: &[wharf_store::mail::accounts::Account],
    labels: &Labels,
    folders: &[wharf_store::mail::filing::UserFolder],
) -> Result<(MessagePane, Vec<ConversationItem>), AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let id = detail.summary.id;
    let conversation: Vec<ConversationItem> = state
        .store
        .conversation(actor, &detail.summary)
        .await?
        .iter()
        .map(|c| ConversationItem {
            href: place.message_href(c.id),
            when: when(c.received_at, zone),
            who: author(req, c),
            subject: c.subject.clone(),
            on: c.id == id,
        })
        .collect();
    let allow = images
        || state
            .store
            .images_allowed_from(actor, &detail.summary.from_addr)
            .await?;
    let pane = reading_pane(
        state,
        req,
        &detail,
        allow,
        zone,
        accounts,
        PaneLinks {
            images_href: format!("{}&images=1", place.message_href(id)),
            here: place.message_href(id),
            list_href: place.list_href(),
            labels,
            folders,
        },
    )
    .await?;
    Ok((pane, conversation))
}

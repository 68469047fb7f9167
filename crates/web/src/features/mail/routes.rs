//! The routes of the mailbox, reading, filing, compose, drafts and downloads.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::{Customers, DeleteMail, Export, PermanentDelete};
use wharf_core::policy::Access::{Needs, SignedIn};

use super::{
    api, compose, customer_entry, downloads, drafts, events, export, filing, frame, mailbox,
    message_actions, notes, previews, recipients, send,
};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/mail",
            SignedIn,
            "Mail",
            get(mailbox::mailbox),
        )
        .add(
            Method::GET,
            "/mail/m/{id}/customer",
            Needs(Customers),
            "Quick entry from a mail: new customer, new contact, or the address to a contact",
            get(customer_entry::show),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/customer",
            Needs(Customers),
            "Save the quick entry from a mail",
            post(customer_entry::save),
        )
        .add(
            Method::POST,
            "/mail/drafts",
            SignedIn,
            "Save a draft (autosave)",
            post(drafts::save_draft).layer(axum::extract::DefaultBodyLimit::max(40 * 1024 * 1024)),
        )
        .add(
            Method::POST,
            "/mail/drafts/{id}/delete",
            SignedIn,
            "Delete a draft",
            post(drafts::delete_draft),
        )
        .add(
            Method::GET,
            "/mail/events",
            SignedIn,
            "Live unread and Pending counts (server-sent events)",
            get(events::events),
        )
        .add(
            Method::GET,
            "/mail/compose",
            SignedIn,
            "Write a message",
            get(compose::compose),
        )
        .add(
            Method::POST,
            "/mail/compose",
            SignedIn,
            "Send a message",
            post(send::send).layer(axum::extract::DefaultBodyLimit::max(110 * 1024 * 1024)),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/seen",
            SignedIn,
            "Mark a message read or unread",
            post(message_actions::set_seen),
        )
        .add(
            Method::POST,
            "/mail/folders",
            SignedIn,
            "Create a folder of one's own in an account",
            post(filing::create_folder),
        )
        .add(
            Method::POST,
            "/mail/folders/{id}/rename",
            SignedIn,
            "Rename a folder",
            post(filing::rename_folder),
        )
        .add(
            Method::POST,
            "/mail/folders/{id}/delete",
            SignedIn,
            "Delete a folder (its mail goes back where it came from)",
            post(filing::delete_folder),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/move",
            SignedIn,
            "Move a message into a folder, or back",
            post(filing::move_message),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/copy",
            SignedIn,
            "Copy a message into a folder",
            post(filing::copy_message),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/tag",
            SignedIn,
            "Tag a message",
            post(filing::tag),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/untag",
            SignedIn,
            "Remove a tag from a message",
            post(filing::untag),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/type",
            SignedIn,
            "Set the mail type",
            post(filing::set_type),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/flag",
            SignedIn,
            "Star or unstar a message",
            post(message_actions::set_flag),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/dismiss",
            SignedIn,
            "Take a message off Pending",
            post(message_actions::dismiss),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/spam",
            SignedIn,
            "Mark a message as spam (to Junk, off Pending) or not spam (back to the Inbox)",
            post(message_actions::spam),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/trash",
            Needs(DeleteMail),
            "Move a message to Trash or restore it",
            post(message_actions::trash),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/handover",
            SignedIn,
            "Hand a message to a colleague",
            post(notes::hand_over),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/comment",
            SignedIn,
            "Comment on a message",
            post(notes::comment),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/follow-up",
            SignedIn,
            "Track a message for follow-up",
            post(notes::follow_up),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/purge",
            Needs(PermanentDelete),
            "Delete a message in Trash for good",
            post(message_actions::purge),
        )
        .add(
            Method::POST,
            "/mail/m/{id}/trust-images",
            SignedIn,
            "Always show images from this sender",
            post(message_actions::trust_images),
        )
        .add(
            Method::GET,
            "/mail/m/{id}/eml",
            SignedIn,
            "Download a message as .eml",
            get(downloads::eml),
        )
        .add(
            Method::GET,
            "/mail/m/{id}/body",
            SignedIn,
            "A message's body, sanitised, for the reading pane's sandboxed frame",
            get(frame::body),
        )
        .add(
            Method::GET,
            "/mail/m/{id}/source",
            SignedIn,
            "A message's original source",
            get(downloads::source),
        )
        .add(
            Method::GET,
            "/mail/m/{id}/attachments/{aid}",
            SignedIn,
            "Download an attachment",
            get(downloads::attachment),
        )
        .add(
            Method::GET,
            "/customers/{id}/mail/export",
            Needs(Export),
            "Export a customer's mail as mbox or a zip of .eml files",
            get(export::customer),
        )
        .add(
            Method::GET,
            "/mail/m/{id}/attachments/{aid}/preview",
            SignedIn,
            "Preview a PDF or image attachment (sandboxed)",
            get(previews::preview),
        )
        .add(
            Method::GET,
            "/mail/m/{id}/attachments.zip",
            SignedIn,
            "Download all attachments of a message as a zip",
            get(previews::zip_all),
        )
        .add(
            Method::GET,
            "/api/v1/mail/messages/{id}",
            SignedIn,
            "A message with Wharf's own authentication results and its signature",
            get(api::message),
        )
        .add(
            Method::GET,
            "/api/v1/mail/recipients",
            SignedIn,
            "Recipient suggestions for To / Cc: visible contacts and recent recipients",
            get(recipients::recipients),
        )
}

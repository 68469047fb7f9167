//! The page data of the mailbox (`templates/mail/mailbox.html`): the side with views,
//! folders, tags and types, the list, and the reading pane.

use serde::Serialize;

/// A view of the side (`view-<code>`), with its count of what needs doing.
#[derive(Serialize)]
pub struct ViewLink {
    pub code: &'static str,
    pub href: String,
    pub label: String,
    pub on: bool,
    pub count: i64,
}

/// A folder, tag or mail type of the side.
#[derive(Serialize)]
pub struct SideLink {
    pub id: i64,
    pub href: String,
    pub name: String,
    pub on: bool,
    /// The folder's account, when the user has several.
    pub account: Option<String>,
    /// Why the server refused this folder, in the reader's language.
    pub note: Option<String>,
}

/// An account to pick (`account` select) or to create a folder in.
#[derive(Serialize)]
pub struct AccountChoice {
    pub id: i64,
    pub address: String,
    pub on: bool,
}

/// The user folder open in the list.
#[derive(Serialize)]
pub struct OpenFolder {
    pub id: i64,
    pub name: String,
    /// Ours only (not on the mail server): may be renamed and deleted here.
    pub local: bool,
}

/// A party filter (customers, suppliers, …) above the list.
#[derive(Serialize)]
pub struct PartyLink {
    pub code: &'static str,
    pub href: String,
    pub label: String,
    pub on: bool,
}

#[derive(Serialize)]
pub struct DraftRow {
    pub id: i64,
    pub href: String,
    pub subject: String,
    pub to: String,
    pub when: String,
}

/// One mail of the list (`msg-<id>`).
#[derive(Serialize)]
pub struct MailItem {
    pub id: i64,
    pub href: String,
    pub who: String,
    pub when: String,
    pub subject: String,
    pub snippet: String,
    pub seen: bool,
    pub flagged: bool,
    pub attach: bool,
    /// The reading pane shows this one.
    pub on: bool,
    /// From a followed customer.
    pub followed: bool,
    pub mail_type: Option<String>,
    pub tags: Vec<String>,
    /// Who deleted it and when (the trash).
    pub deleted: Option<String>,
    /// Where its sending stands (the outbox).
    pub delivery: Option<String>,
    /// How long it has waited (the pending view).
    pub age: Option<String>,
    /// When and what to follow up (the follow-up view).
    pub follow_up: Option<String>,
}

/// A mail of the open one's conversation.
#[derive(Serialize)]
pub struct ConversationItem {
    pub href: String,
    pub when: String,
    pub who: String,
    pub subject: String,
    pub on: bool,
}

/// `mail/mailbox.html`.
#[derive(Serialize)]
pub struct MailboxPage {
    pub views: Vec<ViewLink>,
    /// The code of the view shown (`inbox`, `folder:3`, …).
    pub view: String,
    pub accounts: Vec<AccountChoice>,
    /// The account the list is limited to.
    pub account: Option<i64>,
    pub folders: Vec<SideLink>,
    pub tags: Vec<SideLink>,
    pub types: Vec<SideLink>,
    pub folder: Option<OpenFolder>,
    /// The trash's search text.
    pub q: String,
    pub drafts: Vec<DraftRow>,
    /// `None` in the views that are no mailbox (follow-ups, handed over).
    pub parties: Option<Vec<PartyLink>>,
    pub items: Vec<MailItem>,
    pub more_href: Option<String>,
    /// What an empty list says.
    pub empty: String,
    /// The reading pane, when a mail is open.
    pub message: Option<MessagePane>,
    pub conversation: Vec<ConversationItem>,
    /// (keys, what they do) for the shortcut help.
    pub shortcuts: Vec<(String, String)>,
    /// The Mine / Team switch, for those with others' mail in their scope.
    pub team: Option<TeamSwitch>,
    /// What the accounts' servers refused of moves and deletions ("address: why").
    pub mirror_notes: Vec<String>,
}

/// The Mine / Team switch of the side, with the people of the team view.
#[derive(Serialize)]
pub struct TeamSwitch {
    pub on_team: bool,
    pub mine_href: String,
    pub team_href: String,
    pub mine_unread: i64,
    pub team_unread: i64,
    pub people: Vec<TeamPerson>,
    /// The one person the team view is narrowed to.
    pub user: Option<i64>,
}

/// A person whose mail the team view can show.
#[derive(Serialize)]
pub struct TeamPerson {
    pub id: i64,
    pub name: String,
    pub on: bool,
}

/// An account to send from.
#[derive(Serialize)]
pub struct SenderChoice {
    pub id: i64,
    pub label: String,
    pub on: bool,
}

/// A file to send along: an attachment of the forwarded mail, or an upload kept from a
/// refused send.
#[derive(Serialize)]
pub struct CarriedFile {
    pub id: i64,
    pub name: String,
    /// Only for kept uploads.
    pub size: Option<String>,
}

/// `mail/compose.html`.
#[derive(Serialize)]
pub struct ComposePage {
    pub accounts: Vec<SenderChoice>,
    /// to, cc, bcc, subject, body.
    pub fields: Vec<crate::render::Field>,
    pub forwarded: Vec<CarriedFile>,
    pub kept: Vec<CarriedFile>,
    pub reply_to: String,
    pub forward_of: String,
    pub draft_id: String,
    /// The quote this mail sends (`features/quotes/mail.rs`), or empty.
    pub quote_id: String,
    /// The rich-text editor is on.
    pub rich: bool,
    pub editor_language: &'static str,
    /// "up to N MB" for the chosen account.
    pub limit: String,
    pub form_error: Option<String>,
    pub files_error: Option<String>,
    /// The form alone, in the reading pane (Discard instead of Cancel).
    pub fragment: bool,
}

/// `mail/sent_fragment.html`: a mail just sent from the reading pane, and how its
/// delivery stands.
#[derive(Serialize)]
pub struct SentFragment {
    pub message_id: i64,
    pub state: &'static str,
    pub text: String,
    pub href: String,
}

/// A button of the reading pane posting `value` to `action` (`id` names it for the
/// keyboard shortcuts and tests).
#[derive(Serialize)]
pub struct PaneAction {
    pub action: String,
    pub value: &'static str,
    pub id: &'static str,
    pub label: String,
}

#[derive(Serialize)]
pub struct AttachmentLink {
    pub href: String,
    pub name: String,
    pub size: String,
    /// A program or script: the page warns before it is opened.
    pub risky: bool,
    /// A PDF or image by its declared type: offered for a sandboxed preview (the
    /// server checks the bytes again).
    pub preview: Option<String>,
}

/// A comment or a hand-over on the mail.
#[derive(Serialize)]
pub struct NoteLine {
    pub when: String,
    pub head: String,
    pub text: String,
    pub handover: bool,
}

#[derive(Serialize)]
pub struct FollowUp {
    /// YYYY-MM-DD for the date input.
    pub day: String,
    pub when: String,
    pub note: String,
    pub due: bool,
}

/// A tag, type or folder of the filing controls; `on` (the type set), `here` (filed in
/// the folder) say where the mail is.
#[derive(Serialize)]
pub struct Label {
    pub id: i64,
    pub name: String,
    pub on: bool,
    pub here: bool,
}

/// A customer the sender's address (or company domain) matches.
#[derive(Serialize)]
pub struct SenderMatch {
    /// The user may see the customer; otherwise only `others` is said.
    pub visible: bool,
    pub name: String,
    pub href: Option<String>,
    pub stage: Option<String>,
    /// The contact whose address it is.
    pub contact: Option<String>,
    pub by_domain: bool,
    pub follow: bool,
    pub owners: String,
    pub others: String,
}

/// A recent mail with the sender.
#[derive(Serialize)]
pub struct RecentMail {
    pub href: String,
    pub when: String,
    pub out: bool,
    pub subject: String,
}

/// A file recently exchanged with the sender.
#[derive(Serialize)]
pub struct RecentFile {
    pub name: String,
    pub href: String,
    pub when: String,
}

/// The side panel of the reading pane: what the sender is to the company.
#[derive(Serialize)]
pub struct SenderPanel {
    pub address: String,
    pub party: Option<&'static str>,
    pub party_label: Option<String>,
    pub matches: Vec<SenderMatch>,
    pub recent: Vec<RecentMail>,
    pub files: Vec<RecentFile>,
    /// The quick entry, unless the address is already a customer's.
    pub quick_href: Option<String>,
    /// "Inquiry from <platform>: <buyer>".
    pub inquiry: Option<String>,
}

/// The reading pane of `mail/mailbox.html`: one mail.
#[derive(Serialize)]
pub struct MessagePane {
    pub id: i64,
    /// The list the message was opened from (the phone's back link).
    pub list_href: String,
    pub subject: String,
    pub from: String,
    pub to: String,
    pub cc: String,
    pub when: String,
    pub account: String,
    pub replied: Option<String>,
    pub sender: Option<SenderPanel>,
    pub auth: super::authentication::AuthPane,
    pub types: Vec<Label>,
    pub tags: Vec<Label>,
    /// Every tag's name, for the tag input's suggestions.
    pub all_tags: Vec<String>,
    pub folders: Vec<Label>,
    /// Filed in one of the user's folders.
    pub filed: bool,
    /// The user handles the mailbox (owner, member): marks, filing, tags and follow-up
    /// are shown; a supervisor reads only.
    pub can_handle: bool,
    pub bounce: Option<String>,
    pub delivery: Option<String>,
    pub delivery_failed: bool,
    /// `queued`, `retrying`, `sent`, `failed`: the live stream's news is compared to it.
    pub delivery_state: Option<String>,
    pub notes: Vec<NoteLine>,
    /// Whom the mail may be handed over to.
    pub colleagues: Vec<Label>,
    pub follow_up: Option<FollowUp>,
    pub parse_error: Option<String>,
    pub defect: Option<String>,
    pub actions: Vec<PaneAction>,
    pub attachments: Vec<AttachmentLink>,
    /// "N images blocked", with a link to show them.
    pub blocked_images: Option<String>,
    pub images_href: String,
    /// This page, where the pane's forms come back to.
    pub back: String,
    pub frame_src: String,
}

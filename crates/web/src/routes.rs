//! The route table: every page and API route with the access it needs.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::{
    Customers, DeleteMail, Export, Mailboxes, PermanentDelete, PublishAnnouncements, SystemAdmin,
};
use wharf_core::policy::Access::{Needs, Public, SignedIn};

use crate::app::Routes;
use crate::pages::{
    audit, auth, base, compose, contacts, custom_fields, customer_columns, customer_import,
    customers, home, mail_accounts, mail_customer, mail_downloads, mail_filing, mailbox, org,
    profile,
};
use crate::{api, api_customers, api_mail, pages};

pub fn all() -> Routes {
    let (g, p) = (Method::GET, Method::POST);
    Routes::new()
        .add(
            g.clone(),
            "/healthz",
            Public,
            "Health check",
            get(home::healthz),
        )
        .add(
            g.clone(),
            "/assets/{name}",
            Public,
            "Browser libraries (the mail editor)",
            get(crate::assets::asset),
        )
        .add(
            g.clone(),
            "/setup",
            Public,
            "First start",
            get(auth::setup_form),
        )
        .add(
            p.clone(),
            "/setup",
            Public,
            "First start",
            post(auth::setup_submit),
        )
        .add(
            g.clone(),
            "/login",
            Public,
            "Sign-in form",
            get(auth::login_form),
        )
        .add(
            p.clone(),
            "/login",
            Public,
            "Sign in",
            post(auth::login_submit),
        )
        .add(
            p.clone(),
            "/logout",
            SignedIn,
            "Sign out",
            post(auth::logout),
        )
        .add(
            p.clone(),
            "/locale",
            SignedIn,
            "Set language",
            post(auth::set_locale),
        )
        .add(
            g.clone(),
            "/locale/{code}",
            Public,
            "Set language",
            get(auth::set_locale_anonymous),
        )
        .add(g.clone(), "/", SignedIn, "Home", get(home::home))
        .add(g.clone(), "/mail", SignedIn, "Mail", get(mailbox::mailbox))
        .add(
            g.clone(),
            "/search",
            SignedIn,
            "Search mail and customers in the caller's scope",
            get(pages::search::search_page),
        )
        .add(
            g.clone(),
            "/api/v1/search",
            SignedIn,
            "Search mail and customers in the caller's scope (q, in, from, to, subject, has, after, before, account, owner, customer, type, tag, sort, trash, mail_offset, customer_offset, limit; prefix=1: the last word may be unfinished). Each item has the href it opens; complete is false while the index is first built",
            get(pages::search::api_search),
        )
        .add(
            g.clone(),
            "/customers",
            Needs(Customers),
            "Customers: quick filters, search, sort, pages",
            get(customers::list),
        )
        .add(
            p.clone(),
            "/customers",
            Needs(Customers),
            "Create a customer",
            post(customers::create),
        )
        .add(
            p.clone(),
            "/customers/queries",
            Needs(Customers),
            "Save the list's query under a name",
            post(customers::save_query),
        )
        .add(
            p.clone(),
            "/customers/queries/{id}/delete",
            Needs(Customers),
            "Delete a saved query",
            post(customers::delete_query),
        )
        .add(
            p.clone(),
            "/customers/bulk",
            Needs(Customers),
            "Change stage, follow, give, release, group, tag, export or delete the ticked customers",
            post(customers::bulk),
        )
        .add(
            g.clone(),
            "/customers/new",
            Needs(Customers),
            "New customer form",
            get(customers::new),
        )
        .add(
            g.clone(),
            "/customers/import",
            Needs(Customers),
            "Import customers: upload an xlsx or CSV",
            get(customer_import::start),
        )
        .add(
            p.clone(),
            "/customers/import",
            Needs(Customers),
            "Upload a file to import",
            post(customer_import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(100 * 1024 * 1024)),
        )
        .add(
            g.clone(),
            "/customers/import/{id}",
            Needs(Customers),
            "An import: preview with row errors, progress or report",
            get(customer_import::show),
        )
        .add(
            g.clone(),
            "/customers/import/{id}/mapping",
            Needs(Customers),
            "An import's column mapping, owner, stage and options",
            get(customer_import::mapping),
        )
        .add(
            p.clone(),
            "/customers/import/{id}/mapping",
            Needs(Customers),
            "Save an import's mapping (and a mapping template)",
            post(customer_import::save_mapping),
        )
        .add(
            p.clone(),
            "/customers/import/{id}/fixes",
            Needs(Customers),
            "Correct rows of an import in place",
            post(customer_import::save_fixes),
        )
        .add(
            p.clone(),
            "/customers/import/{id}/run",
            Needs(Customers),
            "Run an import (all rows or none)",
            post(customer_import::run),
        )
        .add(
            g.clone(),
            "/mail/m/{id}/customer",
            Needs(Customers),
            "Quick entry from a mail: new customer, new contact, or the address to a contact",
            get(mail_customer::show),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/customer",
            Needs(Customers),
            "Save the quick entry from a mail",
            post(mail_customer::save),
        )
        .add(
            g.clone(),
            "/contacts",
            Needs(Customers),
            "Contacts of the customers the caller may see, searchable",
            get(contacts::list),
        )
        .add(
            g.clone(),
            "/customers/print",
            Needs(Customers),
            "The filtered list with the chosen columns, for the printer",
            get(customers::print),
        )
        .add(
            p.clone(),
            "/customers/columns",
            Needs(Customers),
            "Choose the list's columns",
            post(customer_columns::save),
        )
        .add(
            g.clone(),
            "/customers/export",
            Needs(Export),
            "The filtered list as CSV or xlsx (format=csv|xlsx), in the caller's scope",
            get(customers::export),
        )
        .add(
            g.clone(),
            "/customers/duplicates",
            Needs(Customers),
            "Customers matching a name, keywords, phones, e-mail or website (JSON)",
            get(customers::duplicates),
        )
        .add(
            g.clone(),
            "/customers/{id}",
            Needs(Customers),
            "A customer: profile, contacts, owners, history",
            get(customers::show),
        )
        .add(
            p.clone(),
            "/customers/{id}",
            Needs(Customers),
            "Save a customer",
            post(customers::update),
        )
        .add(
            g.clone(),
            "/customers/{id}/edit",
            Needs(Customers),
            "Edit a customer",
            get(customers::edit),
        )
        .add(
            p.clone(),
            "/customers/{id}/delete",
            Needs(Customers),
            "Delete a customer with everything attached",
            post(customers::delete),
        )
        .add(
            p.clone(),
            "/customers/{id}/claim",
            Needs(Customers),
            "Claim a customer from the pool",
            post(customers::claim),
        )
        .add(
            p.clone(),
            "/customers/{id}/release",
            Needs(Customers),
            "Release a customer into the pool",
            post(customers::release),
        )
        .add(
            p.clone(),
            "/customers/{id}/transfer",
            Needs(Customers),
            "Give a customer to other owners",
            post(customers::transfer),
        )
        .add(
            p.clone(),
            "/customers/{id}/groups",
            Needs(Customers),
            "Put a customer into a group (made when new)",
            post(customers::group_add),
        )
        .add(
            p.clone(),
            "/customers/{id}/groups/remove",
            Needs(Customers),
            "Take a customer out of a group",
            post(customers::group_remove),
        )
        .add(
            p.clone(),
            "/customers/{id}/documents",
            Needs(Customers),
            "Keep files with a customer",
            post(customers::document_upload)
                .layer(axum::extract::DefaultBodyLimit::max(110 * 1024 * 1024)),
        )
        .add(
            g.clone(),
            "/documents/{id}",
            Needs(Customers),
            "Download a customer's document",
            get(customers::document_download),
        )
        .add(
            p.clone(),
            "/documents/{id}/delete",
            Needs(Customers),
            "Delete a customer's document",
            post(customers::document_delete),
        )
        .add(
            g.clone(),
            "/customers/{id}/contacts/new",
            Needs(Customers),
            "New contact form",
            get(customers::contact_new),
        )
        .add(
            p.clone(),
            "/customers/{id}/contacts",
            Needs(Customers),
            "Add a contact",
            post(customers::contact_create),
        )
        .add(
            g.clone(),
            "/contacts/{id}/edit",
            Needs(Customers),
            "Edit a contact",
            get(customers::contact_edit),
        )
        .add(
            p.clone(),
            "/contacts/{id}",
            Needs(Customers),
            "Save a contact",
            post(customers::contact_update),
        )
        .add(
            p.clone(),
            "/contacts/{id}/delete",
            Needs(Customers),
            "Delete a contact",
            post(customers::contact_delete),
        )
        .add(
            g.clone(),
            "/sales",
            SignedIn,
            "Sales",
            get(|r| pages::home::area(r, "sales")),
        )
        .add(
            g.clone(),
            "/reports",
            SignedIn,
            "Reports",
            get(|r| pages::home::area(r, "reports")),
        )
        .add(
            g.clone(),
            "/profile",
            SignedIn,
            "My account",
            get(profile::show),
        )
        .add(
            p.clone(),
            "/profile/password",
            SignedIn,
            "Change password",
            post(profile::change_password),
        )
        .add(
            p.clone(),
            "/profile/tokens",
            SignedIn,
            "Create API token",
            post(profile::create_token),
        )
        .add(
            p.clone(),
            "/profile/tokens/{id}/revoke",
            SignedIn,
            "Revoke API token",
            post(profile::revoke_token),
        )
        .add(
            g.clone(),
            "/system",
            Needs(SystemAdmin),
            "System",
            get(|| async { axum::response::Redirect::to("/system/departments") }),
        )
        .add(
            g.clone(),
            "/system/departments",
            Needs(SystemAdmin),
            "Departments",
            get(org::departments),
        )
        .add(
            p.clone(),
            "/system/departments",
            Needs(SystemAdmin),
            "Create department",
            post(org::department_create),
        )
        .add(
            g.clone(),
            "/system/departments/new",
            Needs(SystemAdmin),
            "New department",
            get(org::department_new),
        )
        .add(
            g.clone(),
            "/system/departments/{id}",
            Needs(SystemAdmin),
            "Edit department",
            get(org::department_edit),
        )
        .add(
            p.clone(),
            "/system/departments/{id}",
            Needs(SystemAdmin),
            "Update department",
            post(org::department_update),
        )
        .add(
            p.clone(),
            "/system/departments/{id}/delete",
            Needs(SystemAdmin),
            "Delete department",
            post(org::department_delete),
        )
        .add(
            g.clone(),
            "/system/staff",
            Needs(SystemAdmin),
            "Staff",
            get(org::staff_list),
        )
        .add(
            p.clone(),
            "/system/staff",
            Needs(SystemAdmin),
            "Create staff",
            post(org::staff_create),
        )
        .add(
            g.clone(),
            "/system/staff/new",
            Needs(SystemAdmin),
            "New staff",
            get(org::staff_new),
        )
        .add(
            g.clone(),
            "/system/staff/{id}",
            Needs(SystemAdmin),
            "Edit staff",
            get(org::staff_edit),
        )
        .add(
            p.clone(),
            "/system/staff/{id}",
            Needs(SystemAdmin),
            "Update staff",
            post(org::staff_update),
        )
        .add(
            g.clone(),
            "/system/roles",
            Needs(SystemAdmin),
            "Roles",
            get(org::roles),
        )
        .add(
            p.clone(),
            "/system/roles",
            Needs(SystemAdmin),
            "Create role",
            post(org::role_create),
        )
        .add(
            g.clone(),
            "/system/roles/new",
            Needs(SystemAdmin),
            "New role",
            get(org::role_new),
        )
        .add(
            g.clone(),
            "/system/roles/{id}",
            Needs(SystemAdmin),
            "Edit role",
            get(org::role_edit),
        )
        .add(
            p.clone(),
            "/system/roles/{id}",
            Needs(SystemAdmin),
            "Update role",
            post(org::role_update),
        )
        .add(
            p.clone(),
            "/system/roles/{id}/delete",
            Needs(SystemAdmin),
            "Delete role",
            post(org::role_delete),
        )
        .add(
            g.clone(),
            "/system/dict",
            Needs(SystemAdmin),
            "Data dictionary",
            get(base::dict_index),
        )
        .add(
            g.clone(),
            "/system/dict/{kind}",
            Needs(SystemAdmin),
            "Dictionary items",
            get(base::dict_list),
        )
        .add(
            p.clone(),
            "/system/dict/{kind}",
            Needs(SystemAdmin),
            "Create dictionary item",
            post(base::dict_create),
        )
        .add(
            g.clone(),
            "/system/dict/{kind}/new",
            Needs(SystemAdmin),
            "New dictionary item",
            get(base::dict_new),
        )
        .add(
            g.clone(),
            "/system/dict/{kind}/{id}",
            Needs(SystemAdmin),
            "Edit dictionary item",
            get(base::dict_edit),
        )
        .add(
            p.clone(),
            "/system/dict/{kind}/{id}",
            Needs(SystemAdmin),
            "Update dictionary item",
            post(base::dict_update),
        )
        .add(
            p.clone(),
            "/system/dict/{kind}/{id}/delete",
            Needs(SystemAdmin),
            "Delete dictionary item",
            post(base::dict_delete),
        )
        .add(
            g.clone(),
            "/system/customer-fields",
            Needs(SystemAdmin),
            "Customer fields defined by the administrator",
            get(custom_fields::list),
        )
        .add(
            p.clone(),
            "/system/customer-fields",
            Needs(SystemAdmin),
            "Add a customer field",
            post(custom_fields::create),
        )
        .add(
            g.clone(),
            "/system/customer-fields/new",
            Needs(SystemAdmin),
            "New customer field form",
            get(custom_fields::new),
        )
        .add(
            g.clone(),
            "/system/customer-fields/{id}",
            Needs(SystemAdmin),
            "Edit a customer field",
            get(custom_fields::edit),
        )
        .add(
            p.clone(),
            "/system/customer-fields/{id}",
            Needs(SystemAdmin),
            "Change a customer field",
            post(custom_fields::update),
        )
        .add(
            p.clone(),
            "/system/customer-fields/{id}/delete",
            Needs(SystemAdmin),
            "Delete a customer field and its values",
            post(custom_fields::delete),
        )
        .add(
            g.clone(),
            "/system/settings",
            Needs(SystemAdmin),
            "Company settings",
            get(base::settings_form),
        )
        .add(
            p.clone(),
            "/system/settings",
            Needs(SystemAdmin),
            "Save company settings",
            post(base::settings_save),
        )
        .add(
            g.clone(),
            "/announcements",
            Needs(PublishAnnouncements),
            "Announcements",
            get(base::announcements),
        )
        .add(
            p.clone(),
            "/announcements",
            Needs(PublishAnnouncements),
            "Publish announcement",
            post(base::announcement_create),
        )
        .add(
            g.clone(),
            "/announcements/new",
            Needs(PublishAnnouncements),
            "New announcement",
            get(base::announcement_new),
        )
        .add(
            g.clone(),
            "/announcements/{id}",
            Needs(PublishAnnouncements),
            "Edit announcement",
            get(base::announcement_edit),
        )
        .add(
            p.clone(),
            "/announcements/{id}",
            Needs(PublishAnnouncements),
            "Update announcement",
            post(base::announcement_update),
        )
        .add(
            p.clone(),
            "/announcements/{id}/delete",
            Needs(PublishAnnouncements),
            "Delete announcement",
            post(base::announcement_delete),
        )
        .add(
            p.clone(),
            "/mail/drafts",
            SignedIn,
            "Save a draft (autosave)",
            post(compose::save_draft).layer(axum::extract::DefaultBodyLimit::max(40 * 1024 * 1024)),
        )
        .add(
            p.clone(),
            "/mail/drafts/{id}/delete",
            SignedIn,
            "Delete a draft",
            post(compose::delete_draft),
        )
        .add(
            g.clone(),
            "/mail/events",
            SignedIn,
            "Live unread and Pending counts (server-sent events)",
            get(mailbox::events),
        )
        .add(
            g.clone(),
            "/mail/compose",
            SignedIn,
            "Write a message",
            get(compose::compose),
        )
        .add(
            p.clone(),
            "/mail/compose",
            SignedIn,
            "Send a message",
            post(compose::send).layer(axum::extract::DefaultBodyLimit::max(110 * 1024 * 1024)),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/seen",
            SignedIn,
            "Mark a message read or unread",
            post(mailbox::set_seen),
        )
        .add(
            p.clone(),
            "/mail/folders",
            SignedIn,
            "Create a folder of one's own in an account",
            post(mail_filing::create_folder),
        )
        .add(
            p.clone(),
            "/mail/folders/{id}/rename",
            SignedIn,
            "Rename a folder",
            post(mail_filing::rename_folder),
        )
        .add(
            p.clone(),
            "/mail/folders/{id}/delete",
            SignedIn,
            "Delete a folder (its mail goes back where it came from)",
            post(mail_filing::delete_folder),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/move",
            SignedIn,
            "Move a message into a folder, or back",
            post(mail_filing::move_message),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/copy",
            SignedIn,
            "Copy a message into a folder",
            post(mail_filing::copy_message),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/tag",
            SignedIn,
            "Tag a message",
            post(mail_filing::tag),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/untag",
            SignedIn,
            "Remove a tag from a message",
            post(mail_filing::untag),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/type",
            SignedIn,
            "Set the mail type",
            post(mail_filing::set_type),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/flag",
            SignedIn,
            "Star or unstar a message",
            post(mailbox::set_flag),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/dismiss",
            SignedIn,
            "Take a message off Pending",
            post(mailbox::dismiss),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/trash",
            Needs(DeleteMail),
            "Move a message to Trash or restore it",
            post(mailbox::trash),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/handover",
            SignedIn,
            "Hand a message to a colleague",
            post(mailbox::hand_over),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/comment",
            SignedIn,
            "Comment on a message",
            post(mailbox::comment),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/follow-up",
            SignedIn,
            "Track a message for follow-up",
            post(mailbox::follow_up),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/purge",
            Needs(PermanentDelete),
            "Delete a message in Trash for good",
            post(mailbox::purge),
        )
        .add(
            p.clone(),
            "/mail/m/{id}/trust-images",
            SignedIn,
            "Always show images from this sender",
            post(mailbox::trust_images),
        )
        .add(
            g.clone(),
            "/mail/m/{id}/eml",
            SignedIn,
            "Download a message as .eml",
            get(mail_downloads::eml),
        )
        .add(
            g.clone(),
            "/mail/m/{id}/body",
            SignedIn,
            "A message's body, sanitised, for the reading pane's sandboxed frame",
            get(crate::pages::mail_frame::body),
        )
        .add(
            g.clone(),
            "/mail/m/{id}/source",
            SignedIn,
            "A message's original source",
            get(mail_downloads::source),
        )
        .add(
            g.clone(),
            "/mail/m/{id}/attachments/{aid}",
            SignedIn,
            "Download an attachment",
            get(mail_downloads::attachment),
        )
        .add(
            g.clone(),
            "/mail/accounts",
            SignedIn,
            "Mail accounts",
            get(mail_accounts::list),
        )
        .add(
            g.clone(),
            "/mail/accounts/new",
            Needs(Mailboxes),
            "New mail account",
            get(mail_accounts::new),
        )
        .add(
            p.clone(),
            "/mail/accounts",
            Needs(Mailboxes),
            "Create mail account",
            post(mail_accounts::create),
        )
        .add(
            p.clone(),
            "/mail/accounts/test",
            Needs(Mailboxes),
            "Test new account settings",
            post(mail_accounts::test_new),
        )
        .add(
            g.clone(),
            "/mail/accounts/{id}",
            SignedIn,
            "Mail account",
            get(mail_accounts::show),
        )
        .add(
            g.clone(),
            "/mail/accounts/{id}/edit",
            Needs(Mailboxes),
            "Edit mail account",
            get(mail_accounts::edit),
        )
        .add(
            p.clone(),
            "/mail/accounts/{id}",
            Needs(Mailboxes),
            "Update mail account",
            post(mail_accounts::update),
        )
        .add(
            p.clone(),
            "/mail/accounts/{id}/test",
            Needs(Mailboxes),
            "Test account settings",
            post(mail_accounts::test_edit),
        )
        .add(
            p.clone(),
            "/mail/accounts/{id}/sync",
            SignedIn,
            "Sync account now",
            post(mail_accounts::sync_now),
        )
        .add(
            p.clone(),
            "/mail/accounts/{id}/folders",
            Needs(Mailboxes),
            "Choose synced folders",
            post(mail_accounts::save_folders),
        )
        .add(
            g.clone(),
            "/system/audit",
            Needs(SystemAdmin),
            "Audit log",
            get(audit::audit),
        )
        .add(
            g.clone(),
            "/api/openapi.json",
            Public,
            "OpenAPI document",
            get(api::openapi),
        )
        .add(
            g.clone(),
            "/api/v1/me",
            SignedIn,
            "The caller's account, role and permissions",
            get(api::me),
        )
        .add(
            g.clone(),
            "/api/v1/departments",
            SignedIn,
            "List departments",
            get(api::departments),
        )
        .add(
            p.clone(),
            "/api/v1/departments",
            Needs(SystemAdmin),
            "Create a department",
            post(api::department_create),
        )
        .add(
            g.clone(),
            "/api/v1/departments/{id}",
            SignedIn,
            "Get a department",
            get(api::department_get),
        )
        .add(
            Method::PUT,
            "/api/v1/departments/{id}",
            Needs(SystemAdmin),
            "Update a department",
            axum::routing::put(api::department_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/departments/{id}",
            Needs(SystemAdmin),
            "Delete a department",
            axum::routing::delete(api::department_delete),
        )
        .add(
            g.clone(),
            "/api/v1/staff",
            Needs(SystemAdmin),
            "List staff",
            get(api::staff),
        )
        .add(
            p.clone(),
            "/api/v1/staff",
            Needs(SystemAdmin),
            "Create a staff member",
            post(api::staff_create),
        )
        .add(
            g.clone(),
            "/api/v1/staff/{id}",
            Needs(SystemAdmin),
            "Get a staff member",
            get(api::staff_get),
        )
        .add(
            Method::PUT,
            "/api/v1/staff/{id}",
            Needs(SystemAdmin),
            "Update a staff member",
            axum::routing::put(api::staff_update),
        )
        .add(
            p.clone(),
            "/api/v1/staff/{id}/password",
            Needs(SystemAdmin),
            "Reset a staff member's password",
            post(api::staff_reset_password),
        )
        .add(
            p.clone(),
            "/api/v1/roles",
            Needs(SystemAdmin),
            "Create a role",
            post(api::role_create),
        )
        .add(
            g.clone(),
            "/api/v1/roles/{id}",
            SignedIn,
            "Get a role",
            get(api::role_get),
        )
        .add(
            Method::PUT,
            "/api/v1/roles/{id}",
            Needs(SystemAdmin),
            "Update a role",
            axum::routing::put(api::role_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/roles/{id}",
            Needs(SystemAdmin),
            "Delete a role",
            axum::routing::delete(api::role_delete),
        )
        .add(
            g.clone(),
            "/api/v1/dict/{kind}",
            SignedIn,
            "List dictionary items of a kind",
            get(api::dict_list),
        )
        .add(
            p.clone(),
            "/api/v1/dict/{kind}",
            Needs(SystemAdmin),
            "Create a dictionary item",
            post(api::dict_create),
        )
        .add(
            Method::PUT,
            "/api/v1/dict/{kind}/{id}",
            Needs(SystemAdmin),
            "Update a dictionary item",
            axum::routing::put(api::dict_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/dict/{kind}/{id}",
            Needs(SystemAdmin),
            "Delete a dictionary item",
            axum::routing::delete(api::dict_delete),
        )
        .add(
            g.clone(),
            "/api/v1/settings",
            SignedIn,
            "Company settings",
            get(api::settings_get),
        )
        .add(
            Method::PUT,
            "/api/v1/settings",
            Needs(SystemAdmin),
            "Change company settings",
            axum::routing::put(api::settings_update),
        )
        .add(
            g.clone(),
            "/api/v1/customers/{id}/mail",
            Needs(Customers),
            "A customer's mail and the files exchanged, in the caller's accounts",
            get(api_customers::customer_mail),
        )
        .add(
            g.clone(),
            "/api/v1/contacts",
            Needs(Customers),
            "Contacts of the customers the caller may see (q, page, per_page)",
            get(api_customers::contacts),
        )
        .add(
            g.clone(),
            "/api/v1/customer-fields",
            Needs(Customers),
            "The customer fields defined by the administrator",
            get(api_customers::custom_fields),
        )
        .add(
            p.clone(),
            "/api/v1/customer-fields",
            Needs(SystemAdmin),
            "Add a customer field (label, kind, choices, required)",
            post(api_customers::custom_field_create),
        )
        .add(
            Method::PUT,
            "/api/v1/customer-fields/{id}",
            Needs(SystemAdmin),
            "Change a customer field",
            axum::routing::put(api_customers::custom_field_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/customer-fields/{id}",
            Needs(SystemAdmin),
            "Delete a customer field and its values",
            axum::routing::delete(api_customers::custom_field_delete),
        )
        .add(
            g.clone(),
            "/api/v1/customers",
            Needs(Customers),
            "Customers the caller may see (quick, q, stage, revisit_from/to, sort, desc, page, per_page)",
            get(api_customers::list),
        )
        .add(
            p.clone(),
            "/api/v1/customers",
            Needs(Customers),
            "Create a customer (owner_ids: none for the pool; missing: the caller)",
            post(api_customers::create),
        )
        .add(
            g.clone(),
            "/api/v1/customers/export",
            Needs(Export),
            "Customers as CSV or xlsx (format=csv|xlsx; the list's filters), in the caller's scope",
            get(customers::export),
        )
        .add(
            g.clone(),
            "/api/v1/customers/duplicates",
            Needs(Customers),
            "Customers matching a name, keywords, phones, e-mails or website, across owners",
            get(api_customers::duplicates),
        )
        .add(
            g.clone(),
            "/api/v1/customers/{id}",
            Needs(Customers),
            "A customer with contacts, field history and owner log",
            get(api_customers::get),
        )
        .add(
            Method::PUT,
            "/api/v1/customers/{id}",
            Needs(Customers),
            "Save a customer's fields",
            axum::routing::put(api_customers::update),
        )
        .add(
            Method::DELETE,
            "/api/v1/customers/{id}",
            Needs(Customers),
            "Delete a customer with everything attached",
            axum::routing::delete(api_customers::delete),
        )
        .add(
            p.clone(),
            "/api/v1/customers/{id}/claim",
            Needs(Customers),
            "Claim a customer from the pool (daily quota of the role)",
            post(api_customers::claim),
        )
        .add(
            p.clone(),
            "/api/v1/customers/{id}/release",
            Needs(Customers),
            "Release a customer into the pool",
            post(api_customers::release),
        )
        .add(
            p.clone(),
            "/api/v1/customers/{id}/transfer",
            Needs(Customers),
            "Give a customer to other owners",
            post(api_customers::transfer),
        )
        .add(
            p.clone(),
            "/api/v1/customers/{id}/contacts",
            Needs(Customers),
            "Add a contact to a customer",
            post(api_customers::contact_create),
        )
        .add(
            Method::PUT,
            "/api/v1/contacts/{id}",
            Needs(Customers),
            "Save a contact",
            axum::routing::put(api_customers::contact_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/contacts/{id}",
            Needs(Customers),
            "Delete a contact",
            axum::routing::delete(api_customers::contact_delete),
        )
        .add(
            g.clone(),
            "/api/v1/mail/accounts",
            SignedIn,
            "Mail accounts the caller may use",
            get(api_mail::accounts),
        )
        .add(
            p.clone(),
            "/api/v1/mail/accounts",
            Needs(Mailboxes),
            "Create a mail account",
            post(api_mail::account_create),
        )
        .add(
            g.clone(),
            "/api/v1/mail/messages/{id}",
            SignedIn,
            "A message with Wharf's own authentication results and its signature",
            get(crate::api_mail_message::message),
        )
        .add(
            g.clone(),
            "/api/v1/mail/accounts/{id}",
            SignedIn,
            "A mail account with its folders and sync state",
            get(api_mail::account),
        )
        .add(
            Method::PUT,
            "/api/v1/mail/accounts/{id}",
            Needs(Mailboxes),
            "Update a mail account",
            axum::routing::put(api_mail::account_update),
        )
        .add(
            p.clone(),
            "/api/v1/mail/accounts/{id}/sync",
            SignedIn,
            "Sync a mail account now",
            post(api_mail::account_sync),
        )
        .add(
            p.clone(),
            "/api/v1/mail/accounts/{id}/test",
            Needs(Mailboxes),
            "Test a mail account's settings",
            post(api_mail::account_test),
        )
        .add(
            g.clone(),
            "/api/v1/announcements",
            SignedIn,
            "Announcements in force",
            get(api::announcements),
        )
        .add(
            p.clone(),
            "/api/v1/announcements",
            Needs(PublishAnnouncements),
            "Publish an announcement",
            post(api::announcement_create),
        )
        .add(
            Method::PUT,
            "/api/v1/announcements/{id}",
            Needs(PublishAnnouncements),
            "Update an announcement",
            axum::routing::put(api::announcement_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/announcements/{id}",
            Needs(PublishAnnouncements),
            "Delete an announcement",
            axum::routing::delete(api::announcement_delete),
        )
        .add(
            g.clone(),
            "/api/v1/roles",
            SignedIn,
            "List roles",
            get(api::roles),
        )
        .add(
            g,
            "/api/v1/audit",
            Needs(SystemAdmin),
            "Latest audit log entries",
            get(api::audit),
        )
}

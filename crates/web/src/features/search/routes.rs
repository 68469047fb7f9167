//! The routes of search.

use axum::http::Method;
use axum::routing::get;
use wharf_core::Permission::Export;
use wharf_core::policy::Access::{Needs, SignedIn};

use super::{export, handlers};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/search",
            SignedIn,
            "Search mail and customers in the caller's scope",
            get(handlers::search_page),
        )
        .add(
            Method::GET,
            "/search/export",
            Needs(Export),
            "Export the mail a search finds (its parameters, format=mbox|zip), audited, at most 2,000 messages",
            get(export::export),
        )
        .add(
            Method::GET,
            "/api/v1/search",
            SignedIn,
            "Search mail and customers in the caller's scope (q, in, from, to, subject, has, after, before, account, owner, customer, type, tag, sort, trash, mail_offset, customer_offset, limit; prefix=1: the last word may be unfinished). Each item has the href it opens; complete is false while the index is first built",
            get(handlers::api_search),
        )
}

//! The workbench's routes: the Sales area's landing page and its counts in the API.

use axum::http::Method;
use axum::routing::get;
use wharf_core::Permission::Customers;
use wharf_core::policy::Access::Needs;

use super::{api, page};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/sales",
            Needs(Customers),
            "The workbench: customers to revisit and contacted, per stage",
            get(page::workbench),
        )
        .add(
            Method::GET,
            "/api/v1/workbench",
            Needs(Customers),
            "The workbench's counts per stage (view=team, person=<id> for a manager)",
            get(api::counts),
        )
}

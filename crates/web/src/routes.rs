//! The route table: every feature adds its pages and API routes, each with the access it
//! needs (see each `features/*/routes.rs`).

use crate::app::Routes;
use crate::features::{
    announcements, auth, customer_import, customers, deals, home, mail, mail_accounts, money,
    orders, pipeline, products, quotes, records, sales_kit, search, system, tracking, workbench,
};

/// Every route of the app, collected from the features.
pub fn all() -> Routes {
    let features: [fn(Routes) -> Routes; 19] = [
        home::routes,
        auth::routes,
        search::routes,
        customers::routes,
        customer_import::routes,
        pipeline::routes,
        mail::routes,
        mail_accounts::routes,
        system::routes,
        announcements::routes,
        records::routes,
        deals::routes,
        workbench::routes,
        money::routes,
        products::routes,
        quotes::routes,
        orders::routes,
        tracking::routes,
        sales_kit::routes,
    ];
    features
        .into_iter()
        .fold(Routes::new(), |routes, feature| feature(routes))
}

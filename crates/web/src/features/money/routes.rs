//! The routes of exchange rates: System → Exchange rates (for holders of
//! `exchange_rates`) and `/api/v1/exchange-rates` (read by everyone signed in: quotes
//! and boards convert with them; changed by holders of `exchange_rates`).

use axum::http::Method;
use axum::routing::{delete, get, post, put};
use wharf_core::Permission::ExchangeRates;
use wharf_core::policy::Access::{Needs, SignedIn};

use super::{api, rates};
use crate::app::Routes;

pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/system/exchange-rates",
            Needs(ExchangeRates),
            "Exchange rates",
            get(rates::rates),
        )
        .add(
            Method::POST,
            "/system/exchange-rates",
            Needs(ExchangeRates),
            "Add an exchange rate",
            post(rates::rate_create),
        )
        .add(
            Method::GET,
            "/system/exchange-rates/new",
            Needs(ExchangeRates),
            "New exchange rate",
            get(rates::rate_new),
        )
        .add(
            Method::GET,
            "/system/exchange-rates/{id}",
            Needs(ExchangeRates),
            "Edit an exchange rate",
            get(rates::rate_edit),
        )
        .add(
            Method::POST,
            "/system/exchange-rates/{id}",
            Needs(ExchangeRates),
            "Change an exchange rate",
            post(rates::rate_update),
        )
        .add(
            Method::POST,
            "/system/exchange-rates/{id}/delete",
            Needs(ExchangeRates),
            "Delete an exchange rate",
            post(rates::rate_delete),
        )
        .add(
            Method::GET,
            "/api/v1/exchange-rates",
            SignedIn,
            "List exchange rates against the base currency, newest day first (?currency=USD&page=&per_page=)",
            get(api::list),
        )
        .add(
            Method::POST,
            "/api/v1/exchange-rates",
            Needs(ExchangeRates),
            "Add a day's rate: {currency, day: YYYY-MM-DD, per_unit: decimal string, note}",
            post(api::create),
        )
        .add(
            Method::GET,
            "/api/v1/exchange-rates/on",
            SignedIn,
            "The rate used on a day (?currency=USD&day=YYYY-MM-DD): the latest on or before it, with its day; 409 no_exchange_rate when none",
            get(api::on),
        )
        .add(
            Method::GET,
            "/api/v1/exchange-rates/{id}",
            SignedIn,
            "One exchange rate",
            get(api::get),
        )
        .add(
            Method::PUT,
            "/api/v1/exchange-rates/{id}",
            Needs(ExchangeRates),
            "Change an exchange rate",
            put(api::update),
        )
        .add(
            Method::DELETE,
            "/api/v1/exchange-rates/{id}",
            Needs(ExchangeRates),
            "Delete an exchange rate",
            delete(api::delete),
        )
}

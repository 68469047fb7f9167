//! From a mail to a customer (SPEC LINK-2, LINK-3, LINK-6): the quick entry opened from
//! a message. Its three cases (seed 000): a new customer with a new contact, a new
//! contact under an existing customer, or the address added to an existing contact. The
//! form is prefilled from a recognised B2B inquiry notification, or else from the sender
//! and the signature block. A new customer matching an existing one by name, address,
//! company domain, phone or website is refused, with whose customer it is.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use wharf_core::customers::{ContactInput, CustomerInput, STAGES, split_list};
use wharf_core::dict::DictKind;
use wharf_core::mail::inquiry::Inquiry;
use wharf_store::customers::{CustomerQuery, DuplicateHit, DuplicateProbe};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{SelectOption, page, pick};

/// What the quick entry proposes (drawn into the form as `p`).
#[derive(Debug, Clone, Default, Serialize)]
struct Proposal {
    company: String,
    contact: String,
    title: String,
    email: String,
    phone: String,
    mobile: String,
    website: String,
    address: String,
    country: String,
    source: String,
    products: String,
    notes: String,
    /// Fields prefilled from a guess: marked "not sure" in the form.
    unsure: Vec<&'static str>,
}

impl Proposal {
    fn from_form(form: &FormData) -> Proposal {
        Proposal {
            company: form.get("name"),
            contact: form.get("contact_name"),
            title: form.get("title"),
            email: form.get("email"),
            phone: form.get("phones"),
            mobile: form.get("mobile"),
            website: form.get("website"),
            address: form.get("address"),
            country: form.get("country_id"),
            source: form.get("source_id"),
            products: form.get("main_products"),
            notes: form.get("notes"),
            unsure: Vec::new(),
        }
    }
}

/// The prefill: a recognised inquiry's buyer, or the sender and the signature.
fn propose(
    req: &Req,
    d: &wharf_store::mail::view::MessageDetail,
    inquiry: Option<&Inquiry>,
) -> Proposal {
    let s = &d.summary;
    if let Some(i) = inquiry {
        let mut notes = Vec::new();
        if !i.quantity.is_empty() {
            notes.push(
                req.t("mail.quick.note_quantity")
                    .replace("{quantity}", &i.quantity),
            );
        }
        if !i.inquiry_id.is_empty() {
            notes.push(
                req.t("mail.quick.note_inquiry")
                    .replace("{platform}", &i.platform)
                    .replace("{id}", &i.inquiry_id),
            );
        }
        if !i.message.is_empty() {
            notes.push(i.message.clone());
        }
        return Proposal {
            company: if i.company.is_empty() {
                i.buyer_name.clone()
            } else {
                i.company.clone()
            },
            contact: i.buyer_name.clone(),
            email: i.email.clone(),
            phone: i.phone.clone(),
            country: i.country.clone(),
            source: i.source.clone(),
            products: i.product.clone(),
            notes: notes.join("\n"),
            ..Default::default()
        };
    }
    let address = if s.direction == "in" {
        s.from_addr.clone()
    } else {
        serde_json::from_str::<Vec<wharf_mail::Mailbox>>(&s.to_addrs)
            .unwrap_or_default()
            .first()
            .map(|m| m.address.clone())
            .unwrap_or_default()
    };
    let domain = wharf_core::mail::link::domain_of(&address).unwrap_or_default();
    let sig = wharf_core::mail::signature::parse(&d.body_text, &domain);
    // The display name when it is one, else the signature's name.
    let display = if s.direction == "in" {
        s.from_name.trim()
    } else {
        ""
    };
    let contact = if !display.is_empty() && !display.contains('@') {
        wharf_core::mail::signature::Guess {
            value: display.to_string(),
            sure: true,
        }
    } else {
        sig.name.clone()
    };
    let mut p = Proposal {
        email: address,
        ..Default::default()
    };
    let fields = [
        ("company", &mut p.company, &sig.company),
        ("contact", &mut p.contact, &contact),
        ("title", &mut p.title, &sig.title),
        ("phone", &mut p.phone, &sig.phone),
        ("mobile", &mut p.mobile, &sig.mobile),
        ("website", &mut p.website, &sig.website),
        ("address", &mut p.address, &sig.address),
        ("country", &mut p.country, &sig.country),
    ];
    let mut unsure = Vec::new();
    for (name, slot, guess) in fields {
        slot.clone_from(&guess.value);
        if !guess.sure && !guess.value.is_empty() {
            unsure.push(name);
        }
    }
    p.unsure = unsure;
    p
}

#[derive(Deserialize, Default)]
pub struct Params {
    /// Words to find an existing customer by (cases 2 and 3).
    #[serde(default)]
    find: String,
}

async fn item_id(state: &AppState, req: &Req, kind: DictKind, value: &str) -> Option<i64> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return None;
    }
    if let Ok(id) = v.parse::<i64>() {
        return Some(id);
    }
    state
        .store
        .list_dict(req.actor().ok()?, kind)
        .await
        .ok()?
        .into_iter()
        .find(|i| {
            i.code.to_lowercase() == v
                || i.name_en.to_lowercase() == v
                || i.name_zh.to_lowercase() == v
        })
        .map(|i| i.id)
}

/// What the quick entry typed, for finding a colleague's customer again.
fn probe_of(p: &Proposal) -> wharf_store::customers::TransferProbe {
    wharf_store::customers::TransferProbe {
        name: p.company.clone(),
        emails: p.email.clone(),
        phones: [p.phone.as_str(), p.mobile.as_str()]
            .iter()
            .filter(|v| !v.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
        website: p.website.clone(),
    }
}

async fn duplicates(
    state: &AppState,
    req: &Req,
    p: &Proposal,
) -> Result<Vec<DuplicateHit>, AppError> {
    Ok(state
        .store
        .find_duplicates(
            req.actor()?,
            &DuplicateProbe {
                name: p.company.clone(),
                emails: p.email.clone(),
                phones: [p.phone.as_str(), p.mobile.as_str()]
                    .iter()
                    .filter(|v| !v.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
                website: p.website.clone(),
                ..Default::default()
            },
        )
        .await?)
}

#[derive(Serialize)]
struct TargetContact {
    id: i64,
    name: String,
    emails: String,
}

/// A customer the contact or address can go to (`target-<id>`, `found-<id>`).
#[derive(Serialize)]
struct Target {
    id: i64,
    name: String,
    may_edit: bool,
    /// One of the user's own customers: "already yours", not a block.
    mine: bool,
    contacts: Vec<TargetContact>,
}

/// What the mail's text says about an inquiry from a trade platform.
#[derive(Serialize)]
struct InquiryNote {
    platform: String,
    confident: bool,
    inquiry_id: String,
    product: String,
    quantity: String,
}

/// `mail/quick_entry.html`: the sender as a new customer, a contact of a customer or an
/// address of a contact.
#[derive(Serialize)]
struct QuickEntryPage<'a> {
    /// The mail's id.
    id: i64,
    subject: String,
    from: String,
    back: String,
    inquiry: Option<InquiryNote>,
    /// The mail is from this platform but its layout is unknown: nothing is prefilled.
    unknown_platform: Option<String>,
    p: Proposal,
    countries: Vec<SelectOption>,
    sources: Vec<SelectOption>,
    stages: Vec<SelectOption>,
    /// The sender matches a customer of someone else: no new one from here.
    blocked: bool,
    /// Ask the colleague for it instead (LINK-6).
    transfer_offer: Option<crate::render::TransferOffer>,
    /// The matches the user may see.
    targets: Vec<Target>,
    /// The matches of others, said without their names.
    others: Vec<String>,
    /// What "find an existing customer" found for `find`.
    found: Vec<Target>,
    find: &'a str,
    error: Option<String>,
}

/// A customer the contact or address can go to, with its contacts.
async fn target(state: &AppState, req: &Req, id: i64) -> Result<Option<Target>, AppError> {
    let d = match state.store.get_customer(req.actor()?, id).await {
        Ok(d) => d,
        Err(wharf_store::StoreError::Domain(wharf_core::DomainError::NotFound)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let me = req.actor()?.user_id;
    Ok(Some(Target {
        id,
        name: d.customer.name.clone(),
        may_edit: d.may_edit,
        mine: d.customer.owners.iter().any(|o| o.0 == me),
        contacts: d
            .contacts
            .iter()
            .map(|k| TargetContact {
                id: k.id,
                name: k.name.clone(),
                emails: k.emails.clone(),
            })
            .collect(),
    }))
}

async fn render(
    state: &AppState,
    req: &Req,
    id: i64,
    find: &str,
    proposal: Option<Proposal>,
    error: Option<String>,
    error_kind: Option<&AppError>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let d = state
        .store
        .open_message(req.ctx()?, id, "customer_entry")
        .await?;
    let s = &d.summary;
    let inquiry = wharf_core::mail::inquiry::parse_with(
        &state.inquiry_layouts,
        &s.from_addr,
        &s.subject,
        &d.body_text,
    );
    // A platform's notice in a layout not known: the platform is not the customer.
    let unknown_platform = match inquiry {
        Some(_) => None,
        None => wharf_core::mail::inquiry::platform_of(&state.inquiry_layouts, &s.from_addr)
            .map(|l| l.platform.clone()),
    };
    let p = proposal.unwrap_or_else(|| match unknown_platform {
        Some(_) => Proposal::default(),
        None => propose(req, &d, inquiry.as_ref()),
    });
    let hits = duplicates(state, req, &p).await?;
    let mut targets = Vec::new();
    let mut others = Vec::new();
    for h in &hits {
        let t = match h.id {
            Some(id) => target(state, req, id).await?,
            None => None,
        };
        match t {
            Some(t) => targets.push(t),
            None => others.push(
                req.t("mail.quick.others")
                    .replace("{field}", &req.t(&format!("customer.match.{}", h.matched)))
                    .replace(
                        "{owners}",
                        &if h.shared {
                            req.t("customer.pool")
                        } else {
                            h.owners.clone()
                        },
                    ),
            ),
        }
    }
    // Only a colleague's customer blocks; one's own (or the pool's) is offered to open.
    let blocked = !others.is_empty() || targets.iter().any(|t| !t.mine);
    let transfer_offer = if blocked
        || matches!(
            error_kind,
            Some(AppError::Domain(wharf_core::DomainError::Taken { .. }))
        ) {
        let probe = probe_of(&p);
        state
            .store
            .transfer_target(actor, &probe)
            .await?
            .map(|t| crate::render::TransferOffer {
                owners: t.owners,
                name: probe.name,
                emails: probe.emails,
                phones: probe.phones,
                website: probe.website,
            })
    } else {
        None
    };
    let found: Vec<Target> = if find.trim().is_empty() {
        Vec::new()
    } else {
        let page = state
            .store
            .list_customers(
                actor,
                &CustomerQuery {
                    text: Some(find.to_string()),
                    per_page: 10,
                    page: 1,
                    ..Default::default()
                },
            )
            .await?;
        let mut out = Vec::new();
        for c in page.items {
            if let Some(t) = target(state, req, c.id).await? {
                out.push(t);
            }
        }
        out
    };
    let dict = |kind: DictKind, selected: String| async move {
        let sel = item_id(state, req, kind, &selected).await;
        Ok::<Vec<SelectOption>, AppError>(
            state
                .store
                .list_dict(actor, kind)
                .await?
                .into_iter()
                .map(|i| SelectOption {
                    value: i.id.to_string(),
                    label: pick(req.locale, &i.name_zh, &i.name_en),
                    on: Some(i.id) == sel,
                })
                .collect(),
        )
    };
    let countries = dict(DictKind::Country, p.country.clone()).await?;
    let sources = dict(DictKind::CustomerSource, p.source.clone()).await?;
    let stages: Vec<SelectOption> = STAGES
        .iter()
        .map(|st| SelectOption {
            value: st.to_string(),
            label: req.t(&format!("customer.stage.{st}")),
            on: false,
        })
        .collect();
    Ok(page(
        req,
        "mail/quick_entry.html",
        "mail",
        &req.t("mail.quick.title"),
        QuickEntryPage {
            id,
            subject: s.subject.clone(),
            from: s.from_addr.clone(),
            back: format!("/mail?view=inbox&m={id}"),
            inquiry: inquiry.as_ref().map(|i| InquiryNote {
                platform: i.platform.clone(),
                confident: i.confident,
                inquiry_id: i.inquiry_id.clone(),
                product: i.product.clone(),
                quantity: i.quantity.clone(),
            }),
            unknown_platform,
            p,
            countries,
            sources,
            stages,
            blocked,
            transfer_offer,
            targets,
            others,
            found,
            find,
            error,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<Params>,
) -> Result<Response, AppError> {
    render(&state, &req, id, &q.find, None, None, None).await
}

/// Saves one of the three cases (`case` = `new`, `contact` or `address`).
pub async fn save(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    // The message must be the user's to read.
    state.store.get_message(actor, id).await?;
    let ctx = req.ctx()?;
    let p = Proposal::from_form(&form);
    // The buyer's address joins the message's, so the notification is with their mail.
    let link = |state: AppState, address: String| async move {
        if !address.trim().is_empty() {
            state
                .store
                .link_message_address(actor, id, &address)
                .await?;
        }
        Ok::<(), AppError>(())
    };
    let contact = ContactInput {
        name: if p.contact.trim().is_empty() {
            p.email.clone()
        } else {
            p.contact.clone()
        },
        title: p.title.clone(),
        emails: p.email.clone(),
        phones: if p.mobile.is_empty() {
            p.phone.clone()
        } else {
            p.mobile.clone()
        },
        is_primary: true,
        ..Default::default()
    };
    let refuse = |e: AppError| {
        let (state, req, p) = (state.clone(), req.clone(), p.clone());
        async move {
            let msg = e.message(req.locale);
            let mut res = render(&state, &req, id, "", Some(p), Some(msg), Some(&e)).await?;
            *res.status_mut() = e.status();
            Ok::<Response, AppError>(res)
        }
    };
    match form.get("case").as_str() {
        "new" => {
            // Anti-collision: a customer the user cannot see (a colleague's) refuses a
            // second copy here; a colleague's she sees is refused by the store (named),
            // and her own only warned about ("already yours").
            if duplicates(&state, &req, &p)
                .await?
                .iter()
                .any(|h| h.id.is_none())
            {
                return refuse(AppError::Domain(wharf_core::DomainError::field(
                    "name",
                    "duplicate_customer",
                )))
                .await;
            }
            let contact = match contact.validate() {
                Ok(c) => c,
                Err(e) => return refuse(AppError::Domain(e)).await,
            };
            let owners = match form.get("owner").as_str() {
                "pool" => Vec::new(),
                _ => vec![actor.user_id],
            };
            let input = CustomerInput {
                name: p.company.clone(),
                website: p.website.clone(),
                phones: p.phone.clone(),
                address: p.address.clone(),
                country_id: form.id("country_id")?,
                source_id: form.id("source_id")?,
                stage: form.get("stage"),
                main_products: p.products.clone(),
                profile: p.notes.clone(),
                ..Default::default()
            };
            let customer = match state
                .store
                .create_customer_with_contact(ctx, input, &owners, contact)
                .await
            {
                Ok(c) => c,
                Err(e) => return refuse(e.into()).await,
            };
            link(state.clone(), p.email.clone()).await?;
            Ok(Redirect::to(&format!("/customers/{customer}")).into_response())
        }
        "contact" => {
            let customer = form.id("customer_id")?.ok_or(AppError::BadRequest)?;
            let mut contact = contact;
            contact.is_primary = false;
            match state.store.add_contact(ctx, customer, contact).await {
                Ok(_) => {
                    link(state.clone(), p.email.clone()).await?;
                    Ok(Redirect::to(&format!("/customers/{customer}")).into_response())
                }
                Err(e) => refuse(e.into()).await,
            }
        }
        "address" => {
            let contact_id = form.id("contact_id")?.ok_or(AppError::BadRequest)?;
            let k = state.store.get_contact(actor, contact_id).await?;
            let mut emails: Vec<String> = split_list(&k.emails).map(str::to_string).collect();
            if !emails
                .iter()
                .any(|e| e.to_lowercase() == p.email.trim().to_lowercase())
            {
                emails.push(p.email.trim().to_string());
            }
            let input = ContactInput {
                name: k.name.clone(),
                gender: k.gender.clone(),
                title: k.title.clone(),
                emails: emails.join(", "),
                phones: k.phones.clone(),
                whatsapp: k.whatsapp.clone(),
                wechat: k.wechat.clone(),
                skype: k.skype.clone(),
                qq: k.qq.clone(),
                linkedin: k.linkedin.clone(),
                birthday: k.birthday.clone(),
                notes: k.notes.clone(),
                is_primary: k.is_primary,
            };
            match state.store.update_contact(ctx, contact_id, input).await {
                Ok(()) => {
                    link(state.clone(), p.email.clone()).await?;
                    Ok(Redirect::to(&format!("/customers/{}", k.customer_id)).into_response())
                }
                Err(e) => refuse(e.into()).await,
            }
        }
        _ => Err(AppError::BadRequest),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `mail/quick_entry.html` with every part drawn.
    pub(crate) fn render_sample() {
        let target = |id| Target {
            id,
            name: "Acme".into(),
            may_edit: true,
            mine: true,
            contacts: vec![TargetContact {
                id: 5,
                name: "Wang".into(),
                emails: "w@x.cn".into(),
            }],
        };
        let option = |v: &str| SelectOption {
            value: v.into(),
            label: v.into(),
            on: true,
        };
        let html = crate::render::tests::render_with(
            "mail/quick_entry.html",
            QuickEntryPage {
                id: 7,
                subject: "s".into(),
                from: "f".into(),
                back: "/mail".into(),
                inquiry: Some(InquiryNote {
                    platform: "Alibaba".into(),
                    confident: false,
                    inquiry_id: "1".into(),
                    product: "valves".into(),
                    quantity: "100".into(),
                }),
                unknown_platform: Some("Alibaba.com".into()),
                p: Proposal {
                    title: "Buyer".into(),
                    unsure: vec!["title"],
                    ..Default::default()
                },
                countries: vec![option("1")],
                sources: vec![option("2")],
                stages: vec![option("lead")],
                blocked: true,
                transfer_offer: Some(crate::render::TransferOffer {
                    owners: "Li".into(),
                    ..Default::default()
                }),
                targets: vec![target(1)],
                others: vec!["Zhao's".into()],
                found: vec![target(2)],
                find: "acme",
                error: Some("e".into()),
            },
        );
        assert!(html.contains(r#"id="target-1""#) && html.contains(r#"id="found-2""#));
        assert!(html.contains(r#"id="yours-1""#) && html.contains(r#"id="transfer-offer""#));
        assert!(html.contains(r#"id="unsure-title""#) && html.contains(r#"id="unknown-platform""#));
    }
}

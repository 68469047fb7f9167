//! Customers and contacts (SPEC CUST-1..5, BASE-5, LINK-6) for an actor: who sees what
//! (owners; managers over their scope; everyone the shared pool), create / edit / delete
//! with the field history, claim from the pool within the role's daily quota, release,
//! transfer, duplicate checks across all owners, and the list with quick filters.
//! Every operation needs the `customers` permission; every write is audited.

use serde_json::json;
use wharf_core::custom_field::{CustomField, check_values};
use wharf_core::customer::{
    ContactInput, CustomerInput, Sharing, email_key, name_key, phone_key, split_list,
    website_domain,
};
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::custom_fields::write_custom_values;
use crate::db::now;
use crate::rows::{flag, int, like_pattern, opt_int, text};
use crate::{Ctx, Page, Result, Store};

/// One customer's record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Customer {
    pub id: i64,
    pub party_kind: String,
    pub name: String,
    pub short_name: String,
    pub keywords: String,
    pub type_id: Option<i64>,
    pub status_id: Option<i64>,
    pub source_id: Option<i64>,
    pub industry_id: Option<i64>,
    pub country_id: Option<i64>,
    pub stage: String,
    pub city: String,
    pub address: String,
    pub website: String,
    pub phones: String,
    pub fax: String,
    pub email: String,
    pub main_products: String,
    pub profile: String,
    pub scale: String,
    pub rating: i64,
    pub follow: bool,
    pub next_revisit_at: Option<i64>,
    pub tags: String,
    pub sharing: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// (user id, name), by name.
    pub owners: Vec<(i64, String)>,
    /// Admin-defined fields: (field id, value), by field; only non-empty ones. In JSON,
    /// an object by field key: `{"cf3": "Gold"}`.
    #[serde(serialize_with = "custom_as_object", rename = "custom_fields")]
    pub custom: Vec<(i64, String)>,
}

fn custom_as_object<S: serde::Serializer>(
    values: &[(i64, String)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(values.len()))?;
    for (id, value) in values {
        map.serialize_entry(&format!("cf{id}"), value)?;
    }
    map.end()
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Contact {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub gender: String,
    pub title: String,
    pub emails: String,
    pub phones: String,
    pub whatsapp: String,
    pub wechat: String,
    pub skype: String,
    pub qq: String,
    pub linkedin: String,
    pub birthday: String,
    pub notes: String,
    pub is_primary: bool,
}

/// A customer with what its page shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub contacts: Vec<Contact>,
    /// The actor may edit, delete and transfer it.
    pub may_edit: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryEntry {
    pub at: i64,
    pub user: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OwnerChange {
    pub at: i64,
    pub user: String,
    pub action: String,
    pub before: String,
    pub after: String,
}

/// The quick filters of the list (CUST-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quick {
    /// Everything the actor may see.
    #[default]
    All,
    /// The actor is the only owner.
    Mine,
    /// The actor is one of several owners.
    Collaborative,
    /// The shared pool.
    Pool,
    /// Marked to follow.
    Followed,
}

impl Quick {
    pub fn from_code(code: &str) -> Option<Quick> {
        match code {
            "" | "all" => Some(Quick::All),
            "mine" => Some(Quick::Mine),
            "collaborative" => Some(Quick::Collaborative),
            "pool" => Some(Quick::Pool),
            "followed" => Some(Quick::Followed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    pub quick: Quick,
    pub stage: Option<String>,
    /// Words in the name, short name, keywords or city.
    pub text: Option<String>,
    /// Next revisit within [from, to) (Unix seconds).
    pub revisit: Option<(i64, i64)>,
    /// Members of this group.
    pub group: Option<i64>,
    /// Only these customers (the rows ticked in the list), when not empty.
    pub ids: Vec<i64>,
    /// The query builder's conditions (checked; AND binds before OR).
    pub conditions: Vec<wharf_core::customer_query::Condition>,
    /// The company's time zone, for the days of date conditions.
    pub time_zone: wharf_core::zone::Zone,
    /// `name`, `updated`, `revisit`, `stage`, `created`.
    pub sort: String,
    pub descending: bool,
    pub page: i64,
    pub per_page: i64,
}

pub use crate::customer_duplicates::{DuplicateHit, DuplicateProbe};

const COLUMNS: &str = "c.id, c.party_kind, c.name, c.short_name, c.keywords, c.type_id, c.status_id, c.source_id, \
     c.industry_id, c.country_id, c.stage, c.city, c.address, c.website, c.phones, c.fax, c.email, c.main_products, \
     c.profile, c.scale, c.rating, c.follow, c.next_revisit_at, c.tags, c.sharing, c.created_at, c.updated_at";

fn customer(r: &sqlx::any::AnyRow) -> sqlx::Result<Customer> {
    Ok(Customer {
        id: int(r, "id")?,
        party_kind: text(r, "party_kind")?,
        name: text(r, "name")?,
        short_name: text(r, "short_name")?,
        keywords: text(r, "keywords")?,
        type_id: opt_int(r, "type_id")?,
        status_id: opt_int(r, "status_id")?,
        source_id: opt_int(r, "source_id")?,
        industry_id: opt_int(r, "industry_id")?,
        country_id: opt_int(r, "country_id")?,
        stage: text(r, "stage")?,
        city: text(r, "city")?,
        address: text(r, "address")?,
        website: text(r, "website")?,
        phones: text(r, "phones")?,
        fax: text(r, "fax")?,
        email: text(r, "email")?,
        main_products: text(r, "main_products")?,
        profile: text(r, "profile")?,
        scale: text(r, "scale")?,
        rating: int(r, "rating")?,
        follow: flag(r, "follow")?,
        next_revisit_at: opt_int(r, "next_revisit_at")?,
        tags: text(r, "tags")?,
        sharing: text(r, "sharing")?,
        created_at: int(r, "created_at")?,
        updated_at: int(r, "updated_at")?,
        owners: Vec::new(),
        custom: Vec::new(),
    })
}

pub(crate) fn contact(r: &sqlx::any::AnyRow) -> sqlx::Result<Contact> {
    Ok(Contact {
        id: int(r, "id")?,
        customer_id: int(r, "customer_id")?,
        name: text(r, "name")?,
        gender: text(r, "gender")?,
        title: text(r, "title")?,
        emails: text(r, "emails")?,
        phones: text(r, "phones")?,
        whatsapp: text(r, "whatsapp")?,
        wechat: text(r, "wechat")?,
        skype: text(r, "skype")?,
        qq: text(r, "qq")?,
        linkedin: text(r, "linkedin")?,
        birthday: text(r, "birthday")?,
        notes: text(r, "notes")?,
        is_primary: flag(r, "is_primary")?,
    })
}

/// The fields of [`CustomerInput`] as (name, value) texts, for the history; custom
/// fields as `cf<id>`.
fn field_values(c: &CustomerInput, defs: &[CustomField]) -> Vec<(String, String)> {
    let id = |v: Option<i64>| v.map(|i| i.to_string()).unwrap_or_default();
    let standard = vec![
        ("party_kind", c.party_kind.clone()),
        ("name", c.name.clone()),
        ("short_name", c.short_name.clone()),
        ("keywords", c.keywords.clone()),
        ("type_id", id(c.type_id)),
        ("status_id", id(c.status_id)),
        ("source_id", id(c.source_id)),
        ("industry_id", id(c.industry_id)),
        ("country_id", id(c.country_id)),
        ("stage", c.stage.clone()),
        ("city", c.city.clone()),
        ("address", c.address.clone()),
        ("website", c.website.clone()),
        ("phones", c.phones.clone()),
        ("fax", c.fax.clone()),
        ("email", c.email.clone()),
        ("main_products", c.main_products.clone()),
        ("profile", c.profile.clone()),
        ("scale", c.scale.clone()),
        ("rating", c.rating.to_string()),
        ("follow", if c.follow { "1" } else { "0" }.to_string()),
        ("next_revisit_at", id(c.next_revisit_at)),
        ("tags", c.tags.clone()),
    ];
    let mut out: Vec<(String, String)> = standard
        .into_iter()
        .map(|(f, v)| (f.to_string(), v))
        .collect();
    for d in defs {
        let value = c
            .custom
            .iter()
            .find(|(f, _)| *f == d.id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        out.push((d.key(), value));
    }
    out
}

impl Customer {
    /// The record's fields as an input (to edit it, or to compare for the history).
    pub fn to_input(&self) -> CustomerInput {
        let c = self;
        CustomerInput {
            party_kind: c.party_kind.clone(),
            name: c.name.clone(),
            short_name: c.short_name.clone(),
            keywords: c.keywords.clone(),
            type_id: c.type_id,
            status_id: c.status_id,
            source_id: c.source_id,
            industry_id: c.industry_id,
            country_id: c.country_id,
            stage: c.stage.clone(),
            city: c.city.clone(),
            address: c.address.clone(),
            website: c.website.clone(),
            phones: c.phones.clone(),
            fax: c.fax.clone(),
            email: c.email.clone(),
            main_products: c.main_products.clone(),
            profile: c.profile.clone(),
            scale: c.scale.clone(),
            rating: c.rating,
            follow: c.follow,
            next_revisit_at: c.next_revisit_at,
            tags: c.tags.clone(),
            custom: c.custom.clone(),
        }
    }
}

/// The SQL condition (on `c`) for the customers an actor may see, with its values;
/// placeholders start at `$first`.
pub(crate) fn visible_condition(actor: &Actor, first: usize) -> (String, Vec<i64>) {
    crate::access::customers::visible(actor, first)
}

impl Store {
    pub(crate) async fn owners_of(
        &self,
        customer_id: i64,
    ) -> Result<Vec<(i64, String, Option<i64>)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.name, u.department_id FROM customer_owners o JOIN users u ON u.id = o.user_id \
             WHERE o.customer_id = $1 ORDER BY u.name",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok((
                    int(r, "id")?,
                    text(r, "name")?,
                    opt_int(r, "department_id")?,
                ))
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// May the actor see this customer (given its sharing and owners)?
    pub(crate) fn sees(
        actor: &Actor,
        sharing: &str,
        owners: &[(i64, String, Option<i64>)],
    ) -> bool {
        crate::access::customers::facts(sharing, owners).visible_to(actor)
    }

    /// May the actor change it: an owner, a manager whose scope covers an owner, or (for
    /// the shared pool) a manager of the whole company.
    fn edits(actor: &Actor, sharing: &str, owners: &[(i64, String, Option<i64>)]) -> bool {
        crate::access::customers::facts(sharing, owners).editable_by(actor)
    }

    /// One customer the actor may see, with its contacts.
    pub async fn get_customer(&self, actor: &Actor, id: i64) -> Result<CustomerDetail> {
        actor.require(Permission::Customers)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM customers c WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        let mut c = customer(&row)?;
        let owners = self.owners_of(id).await?;
        if !Self::sees(actor, &c.sharing, &owners) {
            return Err(DomainError::NotFound.into());
        }
        let may_edit = Self::edits(actor, &c.sharing, &owners);
        c.owners = owners.into_iter().map(|(u, n, _)| (u, n)).collect();
        c.custom = self
            .custom_values_of(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let contacts = sqlx::query(
            "SELECT * FROM contacts WHERE customer_id = $1 ORDER BY is_primary DESC, name, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(contact)
        .collect::<sqlx::Result<_>>()?;
        Ok(CustomerDetail {
            customer: c,
            contacts,
            may_edit,
        })
    }

    async fn editable(&self, actor: &Actor, id: i64) -> Result<CustomerDetail> {
        let d = self.get_customer(actor, id).await?;
        if !d.may_edit {
            return Err(DomainError::Denied.into());
        }
        Ok(d)
    }

    /// Checks that every new owner is an active user. Anyone working a customer may hand
    /// it to colleagues (seed 003: the operator may be oneself, others, or shared); who
    /// may change an existing customer's owners is [`Self::edits`]' rule.
    async fn check_owners(&self, owners: &[i64]) -> Result<()> {
        for u in owners {
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
                    .bind(u)
                    .fetch_optional(&self.pool)
                    .await?;
            if status.as_deref() != Some("active") {
                return Err(DomainError::field("owners", "invalid_choice").into());
            }
        }
        Ok(())
    }

    /// Creates a customer owned by `owners` (none: into the shared pool). A name already
    /// used (compared by [`name_key`]) is refused.
    pub async fn create_customer(
        &self,
        ctx: Ctx<'_>,
        input: CustomerInput,
        owners: &[i64],
    ) -> Result<i64> {
        self.create_customer_inner(ctx, input, owners, None).await
    }

    /// Creates a customer and its first (primary) contact together: both or neither
    /// (the quick entry from a mail).
    pub async fn create_customer_with_contact(
        &self,
        ctx: Ctx<'_>,
        input: CustomerInput,
        owners: &[i64],
        contact: ContactInput,
    ) -> Result<i64> {
        self.create_customer_inner(ctx, input, owners, Some(contact))
            .await
    }

    async fn create_customer_inner(
        &self,
        ctx: Ctx<'_>,
        input: CustomerInput,
        owners: &[i64],
        contact: Option<ContactInput>,
    ) -> Result<i64> {
        ctx.actor.require(Permission::Customers)?;
        let mut input = input.validate()?;
        let contact = contact.map(ContactInput::validate).transpose()?;
        let defs = self.custom_field_defs().await?;
        input.custom = check_values(&defs, &input.custom, None)?;
        let mut owners = owners.to_vec();
        owners.sort_unstable();
        owners.dedup();
        self.check_new_owners(ctx.actor, &owners).await?;
        let key = name_key(&input.name);
        let mut tx = self.begin().await?;
        if name_taken(&mut tx, &key, None).await? {
            return Err(DomainError::field("name", "duplicate_customer").into());
        }
        let t = now();
        let sharing = Sharing::for_owners(owners.len());
        let id = insert_customer(&mut tx, &input, &key, sharing, ctx.actor.user_id, t).await?;
        set_owners(&mut tx, id, &owners, t).await?;
        write_custom_values(&mut tx, id, &input.custom, &defs).await?;
        write_keys(
            &mut tx,
            id,
            None,
            &input.email,
            &input.phones,
            &input.website,
        )
        .await?;
        log_owners(&mut tx, id, ctx.actor.user_id, "create", &[], &owners).await?;
        if let Some(mut k) = contact {
            k.is_primary = true;
            create_contact(&mut tx, ctx, id, &k, t).await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.create",
                entity: "customer",
                entity_id: Some(id),
                summary: &input.name,
                details: json!({ "owners": owners, "stage": input.stage }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves a customer's fields; each changed field goes into the history.
    pub async fn update_customer(&self, ctx: Ctx<'_>, id: i64, input: CustomerInput) -> Result<()> {
        let before = self.editable(ctx.actor, id).await?.customer;
        let mut input = input.validate()?;
        let defs = self.custom_field_defs().await?;
        input.custom = check_values(&defs, &input.custom, Some(&before.custom))?;
        let key = name_key(&input.name);
        let mut tx = self.begin().await?;
        if name_taken(&mut tx, &key, Some(id)).await? {
            return Err(DomainError::field("name", "duplicate_customer").into());
        }
        let t = now();
        sqlx::query(
            "UPDATE customers SET party_kind = $1, name = $2, name_key = $3, short_name = $4, keywords = $5, type_id = $6, \
             status_id = $7, source_id = $8, industry_id = $9, country_id = $10, stage = $11, city = $12, address = $13, \
             website = $14, phones = $15, fax = $16, email = $17, main_products = $18, profile = $19, scale = $20, \
             rating = $21, follow = $22, next_revisit_at = $23, tags = $24, updated_at = $25, search_text = $27 WHERE id = $26",
        )
        .bind(&input.party_kind)
        .bind(&input.name)
        .bind(&key)
        .bind(&input.short_name)
        .bind(&input.keywords)
        .bind(input.type_id)
        .bind(input.status_id)
        .bind(input.source_id)
        .bind(input.industry_id)
        .bind(input.country_id)
        .bind(&input.stage)
        .bind(&input.city)
        .bind(&input.address)
        .bind(&input.website)
        .bind(&input.phones)
        .bind(&input.fax)
        .bind(&input.email)
        .bind(&input.main_products)
        .bind(&input.profile)
        .bind(&input.scale)
        .bind(input.rating)
        .bind(i64::from(input.follow))
        .bind(input.next_revisit_at)
        .bind(&input.tags)
        .bind(t)
        .bind(id)
        .bind(search_text(&input))
        .execute(&mut *tx)
        .await?;
        write_custom_values(&mut tx, id, &input.custom, &defs).await?;
        let old = field_values(&before.to_input(), &defs);
        let new = field_values(&input, &defs);
        let mut changed = Vec::new();
        for ((field, was), (_, now_value)) in old.iter().zip(new.iter()) {
            if was != now_value {
                changed.push(field.clone());
                sqlx::query(
                    "INSERT INTO customer_history (customer_id, at, user_id, field, old_value, new_value) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(t)
                .bind(ctx.actor.user_id)
                .bind(field)
                .bind(was)
                .bind(now_value)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("DELETE FROM customer_keys WHERE customer_id = $1 AND contact_id IS NULL")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_keys(
            &mut tx,
            id,
            None,
            &input.email,
            &input.phones,
            &input.website,
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.update",
                entity: "customer",
                entity_id: Some(id),
                summary: &input.name,
                details: json!({ "changed": changed }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a customer with everything attached (contacts, history, keys).
    pub async fn delete_customer(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let c = self.editable(ctx.actor, id).await?.customer;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM customers WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.delete",
                entity: "customer",
                entity_id: Some(id),
                summary: &c.name,
                details: json!({ "owners": c.owners.iter().map(|o| o.0).collect::<Vec<_>>() }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims (占有) a customer of the shared pool, within the role's daily quota.
    pub async fn claim_customer(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let c = self.get_customer(ctx.actor, id).await?.customer;
        if c.sharing != Sharing::Shared.code() {
            return Err(DomainError::refused("not_in_pool", 0).into());
        }
        let quota: i64 = sqlx::query_scalar(
            "SELECT r.daily_claim_quota FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = $1",
        )
        .bind(ctx.actor.user_id)
        .fetch_one(&self.pool)
        .await?;
        let zone = self.settings_unchecked().await?.time_zone;
        let t = now();
        let day_start = zone.day_start(zone.today(t));
        let mut tx = self.begin().await?;
        // One claim of a user at a time, so that two at once cannot both pass the count:
        // PostgreSQL locks the user's row until commit (READ COMMITTED would otherwise
        // let both count the same number); SQLite's BEGIN IMMEDIATE already serialises.
        if self.backend() == crate::Backend::Postgres {
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                .bind(ctx.actor.user_id)
                .fetch_optional(&mut *tx)
                .await?;
        }
        let today: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customer_owner_log WHERE user_id = $1 AND action = 'claim' AND at >= $2",
        )
        .bind(ctx.actor.user_id)
        .bind(day_start)
        .fetch_one(&mut *tx)
        .await?;
        if today >= quota {
            return Err(DomainError::refused("claim_quota", quota).into());
        }
        // Only if still in the pool: two people claiming at once, one wins.
        let taken = sqlx::query(
            "UPDATE customers SET sharing = 'personal', updated_at = $1 WHERE id = $2 AND sharing = 'shared'",
        )
        .bind(t)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            return Err(DomainError::refused("not_in_pool", 0).into());
        }
        set_owners(&mut tx, id, &[ctx.actor.user_id], t).await?;
        log_owners(
            &mut tx,
            id,
            ctx.actor.user_id,
            "claim",
            &[],
            &[ctx.actor.user_id],
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.claim",
                entity: "customer",
                entity_id: Some(id),
                summary: &c.name,
                details: json!({}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Releases (释放) a customer into the shared pool: an owner, or a manager over one.
    pub async fn release_customer(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let c = self.editable(ctx.actor, id).await?.customer;
        self.change_owners(ctx, &c, &[], "release").await
    }

    /// Gives a customer to other owners (one: personal; several: collaborative).
    pub async fn transfer_customer(&self, ctx: Ctx<'_>, id: i64, to: &[i64]) -> Result<()> {
        let c = self.editable(ctx.actor, id).await?.customer;
        let mut to = to.to_vec();
        to.sort_unstable();
        to.dedup();
        if to.is_empty() {
            return Err(DomainError::field("owners", "required").into());
        }
        self.check_owners(&to).await?;
        self.change_owners(ctx, &c, &to, "transfer").await
    }

    async fn change_owners(
        &self,
        ctx: Ctx<'_>,
        c: &Customer,
        to: &[i64],
        action: &'static str,
    ) -> Result<()> {
        let before: Vec<i64> = c.owners.iter().map(|o| o.0).collect();
        let t = now();
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE customers SET sharing = $1, updated_at = $2 WHERE id = $3")
            .bind(Sharing::for_owners(to.len()).code())
            .bind(t)
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
        set_owners(&mut tx, c.id, to, t).await?;
        log_owners(&mut tx, c.id, ctx.actor.user_id, action, &before, to).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if action == "release" {
                    "customer.release"
                } else {
                    "customer.transfer"
                },
                entity: "customer",
                entity_id: Some(c.id),
                summary: &c.name,
                details: json!({ "before": before, "after": to }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Contacts: add one to a customer the actor may edit; the first is primary.
    pub async fn add_contact(
        &self,
        ctx: Ctx<'_>,
        customer_id: i64,
        input: ContactInput,
    ) -> Result<i64> {
        let d = self.editable(ctx.actor, customer_id).await?;
        let input = input.validate()?;
        let primary = input.is_primary || d.contacts.is_empty();
        let t = now();
        let mut tx = self.begin().await?;
        if primary {
            clear_primary(&mut tx, customer_id).await?;
        }
        let mut input = input;
        input.is_primary = primary;
        let id = create_contact(&mut tx, ctx, customer_id, &input, t).await?;
        touch(&mut tx, customer_id, t).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_contact(
        &self,
        ctx: Ctx<'_>,
        contact_id: i64,
        input: ContactInput,
    ) -> Result<()> {
        let customer_id = self.contact_customer(contact_id).await?;
        self.editable(ctx.actor, customer_id).await?;
        let input = input.validate()?;
        let t = now();
        let mut tx = self.begin().await?;
        if input.is_primary {
            clear_primary(&mut tx, customer_id).await?;
        }
        sqlx::query(
            "UPDATE contacts SET name = $1, gender = $2, title = $3, emails = $4, phones = $5, whatsapp = $6, wechat = $7, \
             skype = $8, qq = $9, linkedin = $10, birthday = $11, notes = $12, \
             is_primary = CASE WHEN $13 = 1 THEN 1 ELSE is_primary END, updated_at = $14 WHERE id = $15",
        )
        .bind(&input.name)
        .bind(&input.gender)
        .bind(&input.title)
        .bind(&input.emails)
        .bind(&input.phones)
        .bind(&input.whatsapp)
        .bind(&input.wechat)
        .bind(&input.skype)
        .bind(&input.qq)
        .bind(&input.linkedin)
        .bind(&input.birthday)
        .bind(&input.notes)
        .bind(i64::from(input.is_primary))
        .bind(t)
        .bind(contact_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM customer_keys WHERE contact_id = $1")
            .bind(contact_id)
            .execute(&mut *tx)
            .await?;
        write_keys(
            &mut tx,
            customer_id,
            Some(contact_id),
            &input.emails,
            &input.phones,
            "",
        )
        .await?;
        touch(&mut tx, customer_id, t).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "contact.update",
                entity: "customer",
                entity_id: Some(customer_id),
                summary: &input.name,
                details: json!({ "contact_id": contact_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_contact(&self, ctx: Ctx<'_>, contact_id: i64) -> Result<i64> {
        let customer_id = self.contact_customer(contact_id).await?;
        self.editable(ctx.actor, customer_id).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM contacts WHERE id = $1")
            .bind(contact_id)
            .execute(&mut *tx)
            .await?;
        touch(&mut tx, customer_id, now()).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "contact.delete",
                entity: "customer",
                entity_id: Some(customer_id),
                summary: "",
                details: json!({ "contact_id": contact_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(customer_id)
    }

    /// One contact of a customer the actor may see.
    pub async fn get_contact(&self, actor: &Actor, contact_id: i64) -> Result<Contact> {
        let customer_id = self.contact_customer(contact_id).await?;
        self.get_customer(actor, customer_id)
            .await?
            .contacts
            .into_iter()
            .find(|c| c.id == contact_id)
            .ok_or_else(|| DomainError::NotFound.into())
    }

    /// Active staff as (id, name), for choosing owners.
    pub async fn active_staff(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        actor.require(Permission::Customers)?;
        Ok(sqlx::query_as::<_, (i64, String)>(
            "SELECT id, name FROM users WHERE status = 'active' ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn contact_customer(&self, contact_id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT customer_id FROM contacts WHERE id = $1")
                .bind(contact_id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(DomainError::NotFound)?,
        )
    }

    /// Field changes, newest first.
    pub async fn customer_history(&self, actor: &Actor, id: i64) -> Result<Vec<HistoryEntry>> {
        self.get_customer(actor, id).await?;
        Ok(sqlx::query(
            "SELECT h.at, COALESCE(u.name, '') AS user_name, h.field, h.old_value, h.new_value FROM customer_history h \
             LEFT JOIN users u ON u.id = h.user_id WHERE h.customer_id = $1 ORDER BY h.at DESC, h.id DESC LIMIT 500",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(HistoryEntry {
                at: int(r, "at")?,
                user: text(r, "user_name")?,
                field: text(r, "field")?,
                old_value: text(r, "old_value")?,
                new_value: text(r, "new_value")?,
            })
        })
        .collect::<sqlx::Result<_>>()?)
    }

    /// Owner changes, newest first, with the owners' names.
    pub async fn customer_owner_log(&self, actor: &Actor, id: i64) -> Result<Vec<OwnerChange>> {
        self.get_customer(actor, id).await?;
        let rows = sqlx::query(
            "SELECT l.at, COALESCE(u.name, '') AS user_name, l.action, l.before_owners, l.after_owners \
             FROM customer_owner_log l LEFT JOIN users u ON u.id = l.user_id WHERE l.customer_id = $1 \
             ORDER BY l.at DESC, l.id DESC LIMIT 200",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(OwnerChange {
                at: int(r, "at")?,
                user: text(r, "user_name")?,
                action: text(r, "action")?,
                before: self.user_names(&text(r, "before_owners")?).await?,
                after: self.user_names(&text(r, "after_owners")?).await?,
            });
        }
        Ok(out)
    }

    async fn user_names(&self, ids: &str) -> Result<String> {
        let mut names = Vec::new();
        for id in ids.split(',').filter_map(|s| s.trim().parse::<i64>().ok()) {
            let name: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            names.extend(name);
        }
        Ok(names.join(", "))
    }

    /// A page of the customers the actor may see.
    pub async fn list_customers(&self, actor: &Actor, q: &CustomerQuery) -> Result<Page<Customer>> {
        actor.require(Permission::Customers)?;
        let (visible, mut values) = visible_condition(actor, 1);
        let mut conditions = vec![visible];
        let mut texts: Vec<String> = Vec::new();
        let me = actor.user_id;
        match q.quick {
            Quick::All => {}
            Quick::Mine => {
                values.push(me);
                conditions.push(format!(
                    "c.sharing = 'personal' AND EXISTS (SELECT 1 FROM customer_owners m WHERE m.customer_id = c.id AND m.user_id = ${})",
                    values.len()
                ));
            }
            Quick::Collaborative => {
                values.push(me);
                conditions.push(format!(
                    "c.sharing = 'collaborative' AND EXISTS (SELECT 1 FROM customer_owners m WHERE m.customer_id = c.id AND m.user_id = ${})",
                    values.len()
                ));
            }
            Quick::Pool => conditions.push("c.sharing = 'shared'".into()),
            Quick::Followed => conditions.push("c.follow = 1".into()),
        }
        if let Some(g) = q.group {
            values.push(g);
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM customer_group_members gm WHERE gm.customer_id = c.id AND gm.group_id = ${})",
                values.len()
            ));
        }
        if !q.ids.is_empty() {
            let first = values.len() + 1;
            values.extend(q.ids.iter().take(500));
            conditions.push(format!(
                "c.id IN ({})",
                crate::rows::placeholders(first, q.ids.len().min(500))
            ));
        }
        if let Some((from, to)) = q.revisit {
            values.push(from);
            values.push(to);
            conditions.push(format!(
                "c.next_revisit_at >= ${} AND c.next_revisit_at < ${}",
                values.len() - 1,
                values.len()
            ));
        }
        // Text values come after the integer ones.
        if let Some(stage) = q.stage.as_deref().filter(|s| !s.is_empty()) {
            texts.push(stage.to_string());
            conditions.push(format!("c.stage = ${}", values.len() + texts.len()));
        }
        if let Some(t) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            texts.push(like_pattern(t));
            let p = values.len() + texts.len();
            conditions.push(format!("c.search_text LIKE ${p} ESCAPE '\\'"));
        }
        if !q.conditions.is_empty() {
            let defs = self.custom_field_defs().await?;
            let groups: Vec<String> = wharf_core::customer_query::groups(&q.conditions)
                .into_iter()
                .map(|g| {
                    let parts: Vec<String> = g
                        .into_iter()
                        .map(|c| condition_sql(c, values.len(), &mut texts, &q.time_zone, &defs))
                        .collect();
                    format!("({})", parts.join(" AND "))
                })
                .collect();
            conditions.push(format!("({})", groups.join(" OR ")));
        }
        let where_sql = conditions.join(" AND ");
        let order = match q.sort.as_str() {
            "name" => "c.name",
            "revisit" => "c.next_revisit_at",
            "stage" => "c.stage",
            "created" => "c.created_at",
            "city" => "c.city",
            _ => "c.updated_at",
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let per_page = q.per_page.clamp(1, 500);
        let page = q.page.max(1);
        let bind = |sql: String| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in &values {
                query = query.bind(*v);
            }
            for t in &texts {
                query = query.bind(t.clone());
            }
            query
        };
        let total_row = bind(format!(
            "SELECT COUNT(*) AS n FROM customers c WHERE {where_sql}"
        ))
        .fetch_one(&self.pool)
        .await?;
        let total = int(&total_row, "n")?;
        let rows = bind(format!(
            "SELECT {COLUMNS} FROM customers c WHERE {where_sql} ORDER BY {order} {dir}, c.id {dir} LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut items: Vec<Customer> = rows.iter().map(customer).collect::<sqlx::Result<_>>()?;
        // Every listed customer's owners in one query.
        if !items.is_empty() {
            let list = crate::rows::placeholders(1, items.len());
            let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT o.customer_id, u.id, u.name FROM customer_owners o JOIN users u ON u.id = o.user_id \
                 WHERE o.customer_id IN ({list}) ORDER BY u.name"
            )));
            for c in &items {
                q = q.bind(c.id);
            }
            for r in q.fetch_all(&self.pool).await? {
                let customer_id = int(&r, "customer_id")?;
                if let Some(c) = items.iter_mut().find(|c| c.id == customer_id) {
                    c.owners.push((int(&r, "id")?, text(&r, "name")?));
                }
            }
            let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
            let mut custom = self.custom_values_of(&ids).await?;
            for c in &mut items {
                c.custom = custom.remove(&c.id).unwrap_or_default();
            }
        }
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}

pub(crate) async fn insert_customer(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    input: &CustomerInput,
    key: &str,
    sharing: Sharing,
    by: i64,
    t: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO customers (party_kind, name, name_key, short_name, keywords, type_id, status_id, source_id, \
         industry_id, country_id, stage, city, address, website, phones, fax, email, main_products, profile, scale, \
         rating, follow, next_revisit_at, tags, sharing, created_by, created_at, updated_at, search_text) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $27, $28) \
         RETURNING id",
    )
    .bind(&input.party_kind)
    .bind(&input.name)
    .bind(key)
    .bind(&input.short_name)
    .bind(&input.keywords)
    .bind(input.type_id)
    .bind(input.status_id)
    .bind(input.source_id)
    .bind(input.industry_id)
    .bind(input.country_id)
    .bind(&input.stage)
    .bind(&input.city)
    .bind(&input.address)
    .bind(&input.website)
    .bind(&input.phones)
    .bind(&input.fax)
    .bind(&input.email)
    .bind(&input.main_products)
    .bind(&input.profile)
    .bind(&input.scale)
    .bind(input.rating)
    .bind(i64::from(input.follow))
    .bind(input.next_revisit_at)
    .bind(&input.tags)
    .bind(sharing.code())
    .bind(by)
    .bind(t)
    .bind(search_text(input))
    .fetch_one(&mut **tx)
    .await?)
}

/// What the list's search box looks in, lower case (see the `search_text` column).
pub(crate) fn search_text(c: &CustomerInput) -> String {
    [&c.name, &c.short_name, &c.keywords, &c.city, &c.tags]
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| v.to_lowercase())
        .collect::<Vec<_>>()
        .join(" | ")
}

pub(crate) async fn insert_contact(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    input: &ContactInput,
    t: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO contacts (customer_id, name, gender, title, emails, phones, whatsapp, wechat, skype, qq, linkedin, \
         birthday, notes, is_primary, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
         RETURNING id",
    )
    .bind(customer_id)
    .bind(&input.name)
    .bind(&input.gender)
    .bind(&input.title)
    .bind(&input.emails)
    .bind(&input.phones)
    .bind(&input.whatsapp)
    .bind(&input.wechat)
    .bind(&input.skype)
    .bind(&input.qq)
    .bind(&input.linkedin)
    .bind(&input.birthday)
    .bind(&input.notes)
    .bind(i64::from(input.is_primary))
    .bind(t)
    .fetch_one(&mut **tx)
    .await?)
}

/// One query-builder condition as SQL on `c`. Text values become parameters (numbered
/// after the `ints` integer ones); numbers and days are checked integers written inline.
fn condition_sql(
    c: &wharf_core::customer_query::Condition,
    ints: usize,
    texts: &mut Vec<String>,
    zone: &wharf_core::zone::Zone,
    custom: &[CustomField],
) -> String {
    use wharf_core::customer_query::{FieldKind, field_kind};
    let mut param = |v: String| {
        texts.push(v);
        format!("${}", ints + texts.len())
    };
    let lower = c.value.to_lowercase();
    let kind = field_kind(&c.field, custom).unwrap_or(FieldKind::Text);
    match kind {
        FieldKind::Text => {
            let col = format!("c.{}", c.field);
            match c.op.as_str() {
                "contains" => format!(
                    "LOWER({col}) LIKE {} ESCAPE '\\'",
                    param(like_pattern(&c.value))
                ),
                "not_contains" => format!(
                    "NOT (LOWER({col}) LIKE {} ESCAPE '\\')",
                    param(like_pattern(&c.value))
                ),
                "equals" => format!("LOWER({col}) = {}", param(lower)),
                "ne" => format!("LOWER({col}) <> {}", param(lower)),
                "ge" => format!("LOWER({col}) >= {}", param(lower)),
                "lt" => format!("LOWER({col}) < {}", param(lower)),
                "le" => format!("LOWER({col}) <= {}", param(lower)),
                "empty" => format!("{col} = ''"),
                _ => format!("{col} <> ''"),
            }
        }
        FieldKind::Number => {
            let n = c.value.parse::<f64>().unwrap_or(0.0).round() as i64;
            match c.op.as_str() {
                "ge" => format!("c.{} >= {n}", c.field),
                "lt" => format!("c.{} < {n}", c.field),
                "le" => format!("c.{} <= {n}", c.field),
                "ne" | "not_contains" => format!("c.{} <> {n}", c.field),
                "empty" => format!("c.{} = 0", c.field),
                "not_empty" => format!("c.{} <> 0", c.field),
                _ => format!("c.{} = {n}", c.field),
            }
        }
        FieldKind::Date => {
            let col = format!("c.{}", c.field);
            // An unreadable day (refused when the condition was checked) is 1970-01-01 UTC.
            let (start, end) = wharf_core::customer_import::normal_date(&c.value)
                .and_then(|d| wharf_core::zone::Day::parse_iso(&d))
                .map(|day| zone.day_range(day))
                .unwrap_or((0, 86_400));
            match c.op.as_str() {
                "ge" => format!("{col} >= {start}"),
                "lt" => format!("{col} < {start}"),
                "le" => format!("{col} < {end}"),
                "ne" | "not_contains" => {
                    format!("({col} IS NULL OR {col} < {start} OR {col} >= {end})")
                }
                "empty" => format!("{col} IS NULL"),
                "not_empty" => format!("{col} IS NOT NULL"),
                _ => format!("({col} >= {start} AND {col} < {end})"),
            }
        }
        FieldKind::Item => {
            let col = format!("c.{}", c.field);
            let kind = match c.field.as_str() {
                "type_id" => "customer_type",
                "status_id" => "customer_status",
                "source_id" => "customer_source",
                "industry_id" => "industry",
                _ => "country",
            };
            let items = |cmp: &str, p: String| {
                format!(
                    "{col} IN (SELECT id FROM dict_items WHERE kind = '{kind}' AND (LOWER(name_zh) {cmp} {p} OR LOWER(name_en) {cmp} {p} OR LOWER(code) {cmp} {p}))"
                )
            };
            match c.op.as_str() {
                "contains" => items("LIKE", param(like_pattern(&c.value))),
                "not_contains" => format!(
                    "({col} IS NULL OR NOT {})",
                    items("LIKE", param(like_pattern(&c.value)))
                ),
                "ne" => format!("({col} IS NULL OR NOT {})", items("=", param(lower))),
                "empty" => format!("{col} IS NULL"),
                "not_empty" => format!("{col} IS NOT NULL"),
                _ => items("=", param(lower)),
            }
        }
        FieldKind::ContactText => {
            let col = match c.field.as_str() {
                "contact_emails" => "k.emails",
                "contact_phones" => "k.phones",
                _ => "k.name",
            };
            let any = |cond: String| {
                format!("EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.id AND {cond})")
            };
            match c.op.as_str() {
                "contains" => any(format!(
                    "LOWER({col}) LIKE {} ESCAPE '\\'",
                    param(like_pattern(&c.value))
                )),
                "not_contains" => format!(
                    "NOT {}",
                    any(format!(
                        "LOWER({col}) LIKE {} ESCAPE '\\'",
                        param(like_pattern(&c.value))
                    ))
                ),
                "ne" => format!("NOT {}", any(format!("LOWER({col}) = {}", param(lower)))),
                "empty" => format!("NOT {}", any(format!("{col} <> ''"))),
                "not_empty" => any(format!("{col} <> ''")),
                _ => any(format!("LOWER({col}) = {}", param(lower))),
            }
        }
        // Custom values are kept only when not empty: "empty" is "no value row".
        FieldKind::CustomText(id) | FieldKind::CustomNumber(id) | FieldKind::CustomDate(id) => {
            let has = |cond: &str| {
                format!(
                    "EXISTS (SELECT 1 FROM customer_field_values v WHERE v.customer_id = c.id AND v.field_id = {id}{cond})"
                )
            };
            match c.op.as_str() {
                "empty" => return format!("NOT {}", has("")),
                "not_empty" => return has(""),
                _ => {}
            }
            let (col, value) = match kind {
                // Checked as a finite number by Condition::validate: written inline.
                FieldKind::CustomNumber(_) => {
                    ("v.num", c.value.parse::<f64>().unwrap_or(0.0).to_string())
                }
                FieldKind::CustomDate(_) => (
                    "v.value",
                    param(wharf_core::customer_import::normal_date(&c.value).unwrap_or_default()),
                ),
                _ if matches!(c.op.as_str(), "contains" | "not_contains") => {
                    ("LOWER(v.value)", param(like_pattern(&c.value)))
                }
                _ => ("LOWER(v.value)", param(lower)),
            };
            match c.op.as_str() {
                "contains" if matches!(kind, FieldKind::CustomText(_)) => {
                    has(&format!(" AND {col} LIKE {value} ESCAPE '\\'"))
                }
                "not_contains" if matches!(kind, FieldKind::CustomText(_)) => {
                    format!(
                        "NOT {}",
                        has(&format!(" AND {col} LIKE {value} ESCAPE '\\'"))
                    )
                }
                "ne" | "not_contains" => format!("NOT {}", has(&format!(" AND {col} = {value}"))),
                "ge" => has(&format!(" AND {col} >= {value}")),
                "lt" => has(&format!(" AND {col} < {value}")),
                "le" => has(&format!(" AND {col} <= {value}")),
                _ => has(&format!(" AND {col} = {value}")),
            }
        }
    }
}

/// A checked contact's row, its duplicate keys and its audit entry.
async fn create_contact(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: Ctx<'_>,
    customer_id: i64,
    input: &ContactInput,
    t: i64,
) -> Result<i64> {
    let id = insert_contact(tx, customer_id, input, t).await?;
    write_keys(tx, customer_id, Some(id), &input.emails, &input.phones, "").await?;
    audit::record(
        tx,
        ctx,
        Entry {
            action: "contact.create",
            entity: "customer",
            entity_id: Some(customer_id),
            summary: &input.name,
            details: json!({ "contact_id": id }),
        },
    )
    .await?;
    Ok(id)
}

async fn name_taken(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &str,
    except: Option<i64>,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE name_key = $1")
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some_and(|f| Some(f) != except))
}

pub(crate) async fn set_owners(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    owners: &[i64],
    t: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM customer_owners WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    for u in owners {
        sqlx::query(
            "INSERT INTO customer_owners (customer_id, user_id, since) VALUES ($1, $2, $3)",
        )
        .bind(customer_id)
        .bind(u)
        .bind(t)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub(crate) async fn log_owners(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    by: i64,
    action: &str,
    before: &[i64],
    after: &[i64],
) -> Result<()> {
    let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query(
        "INSERT INTO customer_owner_log (customer_id, at, user_id, action, before_owners, after_owners) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(customer_id)
    .bind(now())
    .bind(by)
    .bind(action)
    .bind(list(before))
    .bind(list(after))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The duplicate keys of some e-mails, phones and a website, in their normal forms.
pub(crate) fn keys_of(emails: &str, phones: &str, website: &str) -> Vec<(&'static str, String)> {
    let mut keys: Vec<(&'static str, String)> = split_list(emails)
        .map(|e| ("email", email_key(e)))
        .collect();
    // The addresses' domains, for company-domain matching of mail (LINK-1).
    keys.extend(
        split_list(emails)
            .filter_map(wharf_core::mail::link::domain_of)
            .map(|d| ("domain", d)),
    );
    keys.extend(
        split_list(phones)
            .filter_map(phone_key)
            .map(|p| ("phone", p)),
    );
    keys.extend(website_domain(website).map(|d| ("website", d)));
    keys.sort();
    keys.dedup();
    keys.truncate(100);
    keys
}

pub(crate) async fn write_keys(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    contact_id: Option<i64>,
    emails: &str,
    phones: &str,
    website: &str,
) -> Result<()> {
    let keys = keys_of(emails, phones, website);
    if keys.is_empty() {
        return Ok(());
    }
    // One statement for all of them (imports write hundreds of thousands).
    let values = (0..keys.len())
        .map(|i| format!("($1, $2, ${}, ${})", 3 + 2 * i, 4 + 2 * i))
        .collect::<Vec<_>>()
        .join(", ");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO customer_keys (customer_id, contact_id, kind, value) VALUES {values}"
    )))
    .bind(customer_id)
    .bind(contact_id);
    for (kind, value) in keys {
        q = q.bind(kind).bind(value);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

async fn clear_primary(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
) -> Result<()> {
    sqlx::query("UPDATE contacts SET is_primary = 0 WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn touch(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    t: i64,
) -> Result<()> {
    sqlx::query("UPDATE customers SET updated_at = $1 WHERE id = $2")
        .bind(t)
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A contact with the customer it belongs to, for the contacts list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactRow {
    #[serde(flatten)]
    pub contact: Contact,
    pub customer_name: String,
}

impl Store {
    /// Contacts of the customers the actor may see (CUST-2), by name, optionally those
    /// whose name, e-mail, phone or company contains `search`.
    pub async fn list_contacts(
        &self,
        actor: &Actor,
        search: Option<&str>,
        page: i64,
        per_page: i64,
    ) -> Result<Page<ContactRow>> {
        actor.require(Permission::Customers)?;
        let (visible, values) = visible_condition(actor, 1);
        let mut where_sql = visible;
        let pattern = search
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(like_pattern);
        if pattern.is_some() {
            let p = values.len() + 1;
            where_sql.push_str(&format!(
                " AND (LOWER(k.name) LIKE ${p} ESCAPE '\\' OR LOWER(k.emails) LIKE ${p} ESCAPE '\\' \
                 OR k.phones LIKE ${p} ESCAPE '\\' OR c.search_text LIKE ${p} ESCAPE '\\')"
            ));
        }
        let per_page = per_page.clamp(1, 500);
        let page = page.max(1);
        let bind = |sql: String| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in &values {
                q = q.bind(*v);
            }
            if let Some(p) = &pattern {
                q = q.bind(p.clone());
            }
            q
        };
        let total = int(
            &bind(format!(
                "SELECT COUNT(*) AS n FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE {where_sql}"
            ))
            .fetch_one(&self.pool)
            .await?,
            "n",
        )?;
        let rows = bind(format!(
            "SELECT k.*, c.name AS customer_name FROM contacts k JOIN customers c ON c.id = k.customer_id \
             WHERE {where_sql} ORDER BY k.name, k.id LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        ))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(ContactRow {
                    contact: contact(r)?,
                    customer_name: text(r, "customer_name")?,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}

//! The policy's two forms agree (`wharf_core::policy`): over a grid of actors × records
//! on both databases, what the in-memory rule says of a record's facts is exactly what
//! the store's SQL returns — customers in the list, contacts, the search box's filter
//! and the search index's scope; accounts, mail lists, search hits and one message's
//! grant. The facts are written down here from how the records were made, not read
//! back through the store, so a change to either side fails the test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use wharf_core::customers::{ContactInput, CustomerInput};
use wharf_core::org::{DepartmentInput, RoleInput, StaffInput};
use wharf_core::policy::{
    AccountAccess, CustomerFacts, Decision, MailAction, MailGrant, OwnerFacts,
};
use wharf_core::{Actor, DataScope, DomainError, Permission};
use wharf_store::customers::CustomerQuery;
use wharf_store::mail::messages::{IngestItem, NewMessage};
use wharf_store::mail::view::{MailQuery, MailView};
use wharf_store::search_feed::IndexCustomerScope;
use wharf_store::testing::{self, admin, ctx, local_account};
use wharf_store::vault::Vault;
use wharf_store::{Store, StoreError};

async fn department(store: &Store, a: &Actor, name: &str, parent: Option<i64>) -> i64 {
    store
        .create_department(
            ctx(a),
            DepartmentInput {
                name: name.into(),
                parent_id: parent,
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

/// A role of the test's own (the presets do not cover every combination).
async fn role(store: &Store, a: &Actor, name: &str, permissions: &[Permission], scope: DataScope) {
    store
        .create_role(
            ctx(a),
            RoleInput {
                name_zh: name.into(),
                name_en: name.into(),
                permissions: permissions.to_vec(),
                scope,
                daily_claim_quota: 10,
                description: String::new(),
            },
        )
        .await
        .unwrap();
}

/// A staff member holding the role named `role_name` (a preset's code or a test role's
/// English name).
async fn member(
    store: &Store,
    a: &Actor,
    username: &str,
    role_name: &str,
    department: Option<i64>,
) -> Actor {
    let role = store
        .list_roles(a)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code.as_deref() == Some(role_name) || r.name_en == role_name)
        .unwrap();
    let id = store
        .create_staff(
            ctx(a),
            StaffInput {
                username: username.into(),
                name: format!("Staff {username}"),
                role_id: Some(role.id),
                department_id: department,
                status: "active".into(),
                password: Some("welcome-123".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    store.load_actor(id).await.unwrap().unwrap()
}

/// A customer as the grid knows it: its id, name and facts.
struct Customer {
    id: i64,
    opportunity: i64,
    name: String,
    facts: CustomerFacts,
}

struct Message {
    id: i64,
    account_id: i64,
    account: AccountAccess,
    handed_to: Vec<i64>,
}

fn owner(a: &Actor) -> OwnerFacts {
    OwnerFacts {
        user_id: a.user_id,
        department_id: a.department_id,
    }
}

fn incoming(account_id: i64, n: usize) -> IngestItem {
    let bytes = format!("Subject: grid {n}\r\nMessage-ID: <grid{n}@example.test>\r\n\r\nhi\r\n");
    IngestItem {
        message: NewMessage {
            account_id,
            blob_hash: format!("{:064x}", n + 1),
            size: bytes.len() as i64,
            inline_data: Some(bytes.into_bytes()),
            direction: "in".into(),
            folder_role: "inbox".into(),
            message_id: format!("grid{n}@example.test"),
            subject: format!("grid {n}"),
            subject_key: format!("grid {n}"),
            from_addr: "buyer@example.com".into(),
            to_json: "[]".into(),
            cc_json: "[]".into(),
            received_at: 1_700_000_000 + n as i64,
            source: "import:grid".into(),
            ..Default::default()
        },
        location: None,
        pop3_uidl: None,
    }
}

fn ids_of<T>(r: Result<Vec<T>, StoreError>, id: impl Fn(&T) -> i64) -> BTreeSet<i64> {
    match r {
        Ok(v) => v.iter().map(id).collect(),
        Err(StoreError::Domain(DomainError::Denied)) => BTreeSet::new(),
        Err(e) => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn in_memory_rules_and_sql_agree_over_actors_and_records() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let dept_a = department(&store, &a, "Dept A", None).await;
        let dept_a1 = department(&store, &a, "Dept A1", Some(dept_a)).await;
        let dept_b = department(&store, &a, "Dept B", None).await;
        role(&store, &a, "Clerk", &[Permission::Products], DataScope::Own).await;
        role(
            &store,
            &a,
            "Blind manager",
            &[Permission::Customers, Permission::Reports],
            DataScope::DepartmentTree,
        )
        .await;

        let mgr_a = member(&store, &a, "mgr_a", "department_manager", Some(dept_a)).await;
        let mgr_b = member(&store, &a, "mgr_b", "department_manager", Some(dept_b)).await;
        let lost = member(&store, &a, "lost", "department_manager", None).await;
        let blind = member(&store, &a, "blind", "Blind manager", Some(dept_a)).await;
        let li = member(&store, &a, "li", "salesperson", Some(dept_a)).await;
        let wang = member(&store, &a, "wang", "salesperson", Some(dept_a1)).await;
        let zhao = member(&store, &a, "zhao", "salesperson", Some(dept_b)).await;
        // Sun uses the public box as its member, nothing else.
        let sun = member(&store, &a, "sun", "service", Some(dept_b)).await;
        let clerk = member(&store, &a, "clerk", "Clerk", Some(dept_a)).await;
        let operator = member(&store, &a, "op", "operator", None).await;
        assert!(!clerk.has(Permission::Customers) && !blind.has(Permission::ViewOthersMail));

        // Customers: own, a colleague's in a sub-department, another department's, the
        // pool, co-owned across departments, a manager's, one whose owner has no
        // department.
        let mut customers = Vec::new();
        for (name, owners) in [
            ("Li Own", vec![&li]),
            ("Wang Own", vec![&wang]),
            ("Zhao Own", vec![&zhao]),
            ("Pool", vec![]),
            ("Co Owned", vec![&li, &zhao]),
            ("Mgr B Own", vec![&mgr_b]),
            ("Lost Own", vec![&lost]),
        ] {
            let ids: Vec<i64> = owners.iter().map(|o| o.user_id).collect();
            let id = store
                .create_customer(
                    ctx(&a),
                    CustomerInput {
                        name: name.into(),
                        ..Default::default()
                    },
                    &ids,
                )
                .await
                .unwrap();
            store
                .add_contact(
                    ctx(&a),
                    id,
                    ContactInput {
                        name: format!("Contact of {name}"),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            // An opportunity on it takes its answer (issue 18): seen and changed exactly
            // when the customer is, in memory and in SQL (`access::customers::editable`).
            let opportunity = store
                .create_opportunity(
                    ctx(&a),
                    id,
                    wharf_store::deals::OpportunityEdit {
                        input: wharf_core::deals::OpportunityInput {
                            title: format!("Deal of {name}"),
                            amount: "10".into(),
                            currency: "USD".into(),
                            status: "paused".into(),
                            ..Default::default()
                        },
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            customers.push(Customer {
                id,
                opportunity,
                name: name.into(),
                facts: CustomerFacts {
                    shared: owners.is_empty(),
                    owners: owners.iter().map(|o| owner(o)).collect(),
                },
            });
        }

        // Accounts: personal ones in each kind of place, a public one with a member, and
        // a company one nobody handles (the mailbox administrators' own).
        let vault = Vault::from_hex(&wharf_store::secret::random_token()).unwrap();
        let mut accounts = Vec::new();
        for (address, holder, members) in [
            ("li@example.test", Some(&li), vec![]),
            ("wang@example.test", Some(&wang), vec![]),
            ("zhao@example.test", Some(&zhao), vec![]),
            ("lost@example.test", Some(&lost), vec![]),
            ("info@example.test", None, vec![sun.user_id]),
            ("company@example.test", None, vec![]),
        ] {
            let mut input = local_account(address, holder.map(|h| h.user_id));
            input.member_ids = members.clone();
            let id = store.create_account(ctx(&a), &vault, input).await.unwrap();
            accounts.push((
                id,
                AccountAccess {
                    owner_id: holder.map(|h| h.user_id),
                    owner_department: holder.and_then(|h| h.department_id),
                    member_ids: members,
                },
            ));
        }
        let items: Vec<IngestItem> = accounts
            .iter()
            .enumerate()
            .map(|(n, (id, _))| incoming(*id, n))
            .collect();
        let ingested = store.ingest_batch(&items, None).await.unwrap();
        let mut messages: Vec<Message> = ingested
            .iter()
            .zip(&accounts)
            .map(|(m, (account_id, access))| Message {
                id: m.id(),
                account_id: *account_id,
                account: access.clone(),
                handed_to: Vec::new(),
            })
            .collect();
        // Hand-overs (made by the admin, whom no rule under test limits): Li's mail to
        // Zhao, the public box's to the clerk, who has no mail of his own at all.
        for (n, to) in [(0, &zhao), (4, &clerk)] {
            store
                .hand_over(ctx(&a), messages[n].id, to.user_id, "")
                .await
                .unwrap();
            messages[n].handed_to.push(to.user_id);
        }
        let all_messages: Vec<i64> = messages.iter().map(|m| m.id).collect();

        let actors = [
            ("admin", &a),
            ("mgr_a", &mgr_a),
            ("mgr_b", &mgr_b),
            ("lost", &lost),
            ("blind", &blind),
            ("li", &li),
            ("wang", &wang),
            ("zhao", &zhao),
            ("sun", &sun),
            ("clerk", &clerk),
            ("operator", &operator),
        ];
        let mut checked = 0;
        for (who, actor) in actors {
            // Customers.
            let listed = ids_of(
                store
                    .list_customers(
                        actor,
                        &CustomerQuery {
                            per_page: 500,
                            ..Default::default()
                        },
                    )
                    .await
                    .map(|p| p.items),
                |c| c.id,
            );
            let contacts: BTreeSet<String> = match store.list_contacts(actor, None, 1, 500).await {
                Ok(p) => p.items.into_iter().map(|c| c.customer_name).collect(),
                Err(StoreError::Domain(DomainError::Denied)) => BTreeSet::new(),
                Err(e) => panic!("{e:?}"),
            };
            let index = store.search_scope(actor).await.unwrap();
            for c in &customers {
                let what = format!("{who} × customer {}", c.name);
                let visible = c.facts.visible_to(actor);
                assert_eq!(listed.contains(&c.id), visible, "list: {what}");
                assert_eq!(contacts.contains(&c.name), visible, "contacts: {what}");
                let by_name = store.search_customer_ids(actor, &c.name).await.unwrap();
                assert_eq!(by_name.contains(&c.id), visible, "search filter: {what}");
                let in_index = match &index.customers {
                    None => false,
                    Some(IndexCustomerScope::All) => true,
                    Some(IndexCustomerScope::SharedOrOwnedBy(users)) => {
                        c.facts.shared || c.facts.owners.iter().any(|o| users.contains(&o.user_id))
                    }
                };
                assert_eq!(in_index, visible, "search index scope: {what}");
                match store.get_customer(actor, c.id).await {
                    Ok(d) => {
                        assert!(visible, "get: {what}");
                        assert_eq!(d.may_edit, c.facts.editable_by(actor), "edit: {what}");
                    }
                    Err(StoreError::Domain(DomainError::NotFound | DomainError::Denied)) => {
                        assert!(!visible, "get: {what}")
                    }
                    Err(e) => panic!("{what}: {e:?}"),
                }
                match store.opportunity(actor, c.opportunity).await {
                    Ok(o) => {
                        assert!(visible, "opportunity: {what}");
                        assert_eq!(
                            o.may_change,
                            c.facts.editable_by(actor),
                            "opportunity edit: {what}"
                        );
                    }
                    Err(StoreError::Domain(DomainError::NotFound | DomainError::Denied)) => {
                        assert!(!visible, "opportunity: {what}")
                    }
                    Err(e) => panic!("{what}: {e:?}"),
                }
                checked += 1;
            }

            // Accounts and mail.
            let readable = store.readable_account_ids(actor).await.unwrap();
            let handled = store.handled_account_ids(actor).await.unwrap();
            let mine = store
                .scoped_account_ids(actor, wharf_store::mail::view::MailScope::Mine)
                .await
                .unwrap();
            let listed_accounts = ids_of(store.list_accounts(actor).await, |x| x.id);
            for (id, access) in &accounts {
                let what = format!("{who} × account {:?}", access.owner_id);
                assert_eq!(readable.contains(id), access.can_use(actor), "{what}");
                // Handling (Mine, marking read) is its own rule: in memory and in SQL.
                assert_eq!(
                    handled.contains(id),
                    access.handles(actor),
                    "handles: {what}"
                );
                assert_eq!(
                    mine.contains(id),
                    access.handles(actor) && access.can_use(actor),
                    "mine: {what}"
                );
                assert_eq!(
                    listed_accounts.contains(id),
                    access.can_use(actor),
                    "{what}"
                );
            }
            assert_eq!(index.accounts, readable, "{who}: search accounts");
            let inbox = ids_of(
                store
                    .list_mail(
                        actor,
                        &MailQuery {
                            view: MailView::Folder("inbox".into()),
                            account_id: None,
                            after: None,
                            limit: 500,
                            text: None,
                            party: None,
                        },
                    )
                    .await
                    .map(|(items, _)| items),
                |m| m.id,
            );
            let hits = store.mail_hits(actor, &all_messages).await.unwrap();
            let handed = ids_of(store.list_handed(actor).await, |m| m.id);
            for m in &messages {
                let what = format!("{who} × message of account {}", m.account_id);
                let grant = MailGrant::for_message(actor, &m.account, &m.handed_to);
                assert_eq!(
                    inbox.contains(&m.id),
                    grant == MailGrant::Account,
                    "inbox: {what}"
                );
                let hit = hits.iter().find(|h| h.id == m.id);
                assert_eq!(
                    hit.is_some(),
                    grant != MailGrant::None,
                    "search hit: {what}"
                );
                if let Some(h) = hit {
                    assert_eq!(h.handed_only, grant == MailGrant::HandedOver, "{what}");
                }
                assert_eq!(
                    index.handed.contains(&m.id),
                    m.handed_to.contains(&actor.user_id),
                    "search hand-overs: {what}"
                );
                assert_eq!(
                    handed.contains(&m.id),
                    m.handed_to.contains(&actor.user_id),
                    "handed list: {what}"
                );
                match store.get_message(actor, m.id).await {
                    Ok(d) => assert_eq!(d.grant, grant, "get: {what}"),
                    Err(StoreError::Domain(DomainError::NotFound)) => {
                        assert_eq!(grant, MailGrant::None, "get: {what}")
                    }
                    Err(e) => panic!("{what}: {e:?}"),
                }
                for action in [MailAction::Read, MailAction::Handle, MailAction::Purge] {
                    // Supervisors (reaching the account without handling it) may not
                    // change the owner's mailbox: the handling rule, not the bare grant.
                    let want = grant.allows_handling(actor, action, m.account.handles(actor));
                    let got = match store.message_for(actor, m.id, action).await {
                        Ok(_) => Decision::Allow,
                        Err(StoreError::Domain(DomainError::Denied)) => Decision::Forbid,
                        Err(StoreError::Domain(DomainError::NotFound)) => Decision::SignInFirst,
                        Err(e) => panic!("{what}: {e:?}"),
                    };
                    assert_eq!(got, want, "{action:?}: {what}");
                }
                checked += 1;
            }
        }
        assert_eq!(checked, actors.len() * (customers.len() + messages.len()));

        // The grid holds every answer: each side of it is seen at least once.
        let grants: BTreeSet<String> = actors
            .iter()
            .flat_map(|(_, actor)| {
                messages.iter().map(|m| {
                    format!(
                        "{:?}",
                        MailGrant::for_message(actor, &m.account, &m.handed_to)
                    )
                })
            })
            .collect();
        assert_eq!(grants.len(), 3, "{grants:?}");
        let seen: BTreeSet<(bool, bool)> = actors
            .iter()
            .flat_map(|(_, actor)| {
                customers
                    .iter()
                    .map(|c| (c.facts.visible_to(actor), c.facts.editable_by(actor)))
            })
            .collect();
        assert_eq!(
            seen.len(),
            3,
            "visible+editable, visible only, neither: {seen:?}"
        );
    }
}

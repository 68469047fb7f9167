//! [`AccountScope`] and [`MessageScope`] as SQL: accounts on an alias given by the
//! caller, messages on `m`, and the hand-over condition both use.

use wharf_core::policy::{AccountScope, MessageScope, OwnerFilter};

/// The condition (on `{a}`, a `mail_accounts` alias) for the accounts in `scope`, with
/// its values; placeholders start at `$first`.
pub(crate) fn account_condition(scope: &AccountScope, a: &str, first: usize) -> (String, Vec<i64>) {
    let (user_id, others) = match scope {
        AccountScope::All => return ("1 = 1".into(), Vec::new()),
        AccountScope::Handles { user_id, unclaimed } => {
            let members = |u: &str| {
                format!(
                    "EXISTS (SELECT 1 FROM mail_account_members am WHERE am.account_id = {a}.id{u})"
                )
            };
            let mut sql = format!(
                "({a}.owner_id = ${first} OR {}",
                members(&format!(" AND am.user_id = ${first}"))
            );
            if *unclaimed {
                sql.push_str(&format!(
                    " OR ({a}.owner_id IS NULL AND NOT {})",
                    members("")
                ));
            }
            sql.push(')');
            return (sql, vec![*user_id]);
        }
        AccountScope::UsedBy { user_id, others } => (user_id, others),
    };
    let mut values = vec![*user_id];
    let mut sql = format!(
        "({a}.owner_id = ${first} OR EXISTS (SELECT 1 FROM mail_account_members am \
         WHERE am.account_id = {a}.id AND am.user_id = ${first})"
    );
    match others {
        None => {}
        Some(OwnerFilter::All) => sql.push_str(&format!(" OR {a}.owner_id IS NOT NULL")),
        Some(OwnerFilter::OnlyUser(owner)) => {
            values.push(*owner);
            sql.push_str(&format!(" OR {a}.owner_id = ${}", first + 1));
        }
        Some(OwnerFilter::UserOrDepartments {
            user_id: owner,
            departments,
        }) => {
            values.push(*owner);
            let list = super::list(first + 2, departments.len());
            values.extend(departments);
            sql.push_str(&format!(
                " OR {a}.owner_id = ${} OR EXISTS (SELECT 1 FROM users ou WHERE ou.id = {a}.owner_id \
                 AND ou.department_id IN ({list}))",
                first + 1
            ));
        }
    }
    sql.push(')');
    (sql, values)
}

/// The ids of the messages handed to the user at `$param` (read by the index on
/// `to_user`, never by scanning the messages).
pub(crate) fn handed_ids(param: usize) -> String {
    format!("SELECT h.message_id FROM mail_handovers h WHERE h.to_user = ${param}")
}

/// "Handed to the user at `$param`", on the message aliased `m`.
pub(crate) fn handed_condition(param: usize) -> String {
    format!("m.id IN ({})", handed_ids(param))
}

/// "Handed to one of the `n` users from `$first`", on the message aliased `m` (the team
/// view's hand-overs; the caller adds what the actor may read).
pub(crate) fn handed_to_any_condition(first: usize, n: usize) -> String {
    format!(
        "m.id IN (SELECT h.message_id FROM mail_handovers h WHERE h.to_user IN ({}))",
        crate::rows::placeholders(first, n)
    )
}

/// The condition (on `m`) for the messages in `scope`: its accounts' and those handed
/// to the user; with its values, placeholders from `$first`.
pub(crate) fn message_condition(scope: &MessageScope, first: usize) -> (String, Vec<i64>) {
    let (accounts, mut values) = account_condition(&scope.accounts, "ra", first);
    let handed = handed_condition(first + values.len());
    values.push(scope.handed_to);
    (
        format!(
            "(m.account_id IN (SELECT ra.id FROM mail_accounts ra WHERE {accounts}) OR {handed})"
        ),
        values,
    )
}

//! [`AuthorScope`] as SQL: a condition on a user id column (a record's author, a
//! customer's owner), for the Mine / Team switches. The departments' people are one
//! uncorrelated subquery, so the condition joins nothing per row.

use wharf_core::policy::AuthorScope;

/// The condition on `user_col` for the people in `scope`, with its values; placeholders
/// start at `$first`.
pub(crate) fn people(scope: &AuthorScope, user_col: &str, first: usize) -> (String, Vec<i64>) {
    match scope {
        AuthorScope::Only(u) => (format!("{user_col} = ${first}"), vec![*u]),
        AuthorScope::Everyone => ("1 = 1".into(), Vec::new()),
        AuthorScope::UserOrDepartments {
            user_id,
            departments,
        } => {
            let list = super::list(first + 1, departments.len());
            let mut values = vec![*user_id];
            values.extend(departments);
            (
                format!(
                    "({user_col} = ${first} OR {user_col} IN (SELECT id FROM users WHERE department_id IN ({list})))"
                ),
                values,
            )
        }
    }
}

//! How many customers the actor sees in each stage and flag, split as seed 003 splits
//! its stage lists: mine (personal or collaborative, 个人 incl. 协同) and shared (共享).

use wharf_core::{Actor, Permission};

use crate::customers::visible_condition;
use crate::{Result, Store};

/// One stage and flag's numbers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StageCount {
    pub stage: String,
    pub flag: String,
    pub mine: i64,
    pub shared: i64,
}

impl Store {
    /// Counts per (stage, flag) of the customers the actor may see.
    pub async fn stage_counts(&self, actor: &Actor) -> Result<Vec<StageCount>> {
        actor.require(Permission::Customers)?;
        let (visible, mut values) = visible_condition(actor, 1);
        values.push(actor.user_id);
        let me = values.len();
        let sql = format!(
            "SELECT c.stage, c.stage_flag, \
             SUM(CASE WHEN EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = c.id AND o.user_id = ${me}) THEN 1 ELSE 0 END) AS mine, \
             SUM(CASE WHEN c.sharing = 'shared' THEN 1 ELSE 0 END) AS shared \
             FROM customers c WHERE {visible} GROUP BY c.stage, c.stage_flag"
        );
        let mut q = sqlx::query_as::<_, (String, String, i64, i64)>(sqlx::AssertSqlSafe(sql));
        for v in &values {
            q = q.bind(*v);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(stage, flag, mine, shared)| StageCount {
                stage,
                flag,
                mine,
                shared,
            })
            .collect())
    }
}

//! The sales kit (PIPE-3): sales scripts (话术) — each person's own and the company's
//! reference ones, managed by holders of `sales_kit` — and competitors (同行), read by
//! everyone with `customers`, managed by holders of `sales_kit`, linked to the customers
//! that also buy from them by whoever may edit the customer. Every change audited.

mod competitors;
mod scripts;

pub use competitors::Competitor;
pub use scripts::Script;

/// The most answers a kit search gives.
pub const KIT_LIMIT: i64 = 200;

/// `search_text LIKE` conditions for up to eight words, parameters from `first`.
fn word_conditions(q: &str, first: usize) -> (String, Vec<String>) {
    let words: Vec<String> = q
        .split_whitespace()
        .take(8)
        .map(crate::rows::like_pattern)
        .collect();
    let sql = (0..words.len())
        .map(|i| format!(" AND search_text LIKE ${} ESCAPE '\\'", first + i))
        .collect::<String>();
    (sql, words)
}

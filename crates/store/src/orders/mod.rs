//! Orders (订单, PIPE-6, issue 18) for an actor: create (from a customer, an opportunity or
//! a sent / approved / accepted quote — one order per quote), save changes, move the
//! status (delivery plans the after-sales revisit), pause / resume following, add
//! follow-up notes and set the documents' states; read one with its lines, payments,
//! documents, log and revisit; the lists (mine = seller or follower / team, in progress /
//! all) and the "orders to follow" counts. An order is seen when its customer is and
//! changed by its seller, follower or a manager over them (`wharf_core::policy::OrderFacts`).
//! The first order of a customer promotes it to the won stage (the pipeline's moves), and
//! the opportunity it came from is ended as won — all in the order's transaction, audited.

mod flow;
mod list;
mod read;
mod write;

pub use flow::StatusChange;
pub use list::{FollowCounts, OrderQuery, Progress};
pub use read::{
    OrderDetail, OrderDocument, OrderEvent, OrderLineRow, OrderPayment, OrderRevisit, OrderSummary,
};
pub use write::{OrderDraft, OrderRate};

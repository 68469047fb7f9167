//! Orders (订单, PIPE-6, issue 18): the yearly number, the status steps and their moves,
//! the input's checks (lines, currency, seller and follower 跟单人), payments (deposit and
//! balance), shipping, documents, and the after-sales revisit day. Pure: callers pass
//! today, the currency and the settings.

mod documents;
mod header;
mod line;
mod number;
mod payment;
mod revisit;
mod shipping;
mod status;

pub use documents::{DocKind, DocState};
pub use header::OrderHeader;
pub use line::OrderLine;
pub use number::OrderNumber;
pub use payment::{PaymentInput, PaymentKind, PaymentState};
pub use revisit::revisit_day;
pub use shipping::ShippingInput;
pub use status::{FollowState, OrderStatus};

/// The most lines one order holds.
pub const MAX_LINES: usize = 300;
/// The largest quantity of one line.
pub const MAX_QUANTITY: i64 = 1_000_000_000;
/// The largest unit price (in the order's currency).
pub const MAX_UNIT_PRICE: i64 = 1_000_000_000_000;
/// The most payments (deposit, balance, instalments) one order has.
pub const MAX_PAYMENTS: usize = 20;

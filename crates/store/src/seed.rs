//! Base data a fresh Wharf starts with: the preset roles, the built-in `admin` account
//! (with no password: the first start asks for one), countries and regions, and the
//! usual dictionary items of an export company.

use sqlx::{Any, Transaction};
use wharf_core::dict::DictKind;
use wharf_core::permission::{ADMIN_ROLE_CODE, PRESET_ROLES, format_permissions};

use crate::db::now;

/// The built-in administrator's name as seeded: both languages at once, which the web
/// layer shows in the reader's language (`wharf_web::i18n::person`).
pub const BUILTIN_ADMIN_NAME: &str = "系统管理员 Administrator";

const COUNTRIES: &str = include_str!("../data/countries.tsv");

/// (kind, code, Chinese, English) for the dictionary's starting items.
const DICT_ITEMS: &[(DictKind, &str, &str, &str)] = &[
    (DictKind::CustomerType, "end_user", "终端客户", "End user"),
    (DictKind::CustomerType, "importer", "进口商", "Importer"),
    (DictKind::CustomerType, "wholesaler", "批发商", "Wholesaler"),
    (DictKind::CustomerType, "retailer", "零售商", "Retailer"),
    (DictKind::CustomerType, "agent", "代理商", "Agent"),
    (
        DictKind::CustomerType,
        "manufacturer",
        "生产商",
        "Manufacturer",
    ),
    (DictKind::CustomerStatus, "new", "新客户", "New"),
    (DictKind::CustomerStatus, "active", "活跃", "Active"),
    (DictKind::CustomerStatus, "dormant", "休眠", "Dormant"),
    (DictKind::CustomerStatus, "lost", "流失", "Lost"),
    (
        DictKind::CustomerSource,
        "alibaba",
        "阿里巴巴国际站",
        "Alibaba.com",
    ),
    (
        DictKind::CustomerSource,
        "made_in_china",
        "中国制造网",
        "Made-in-China.com",
    ),
    (
        DictKind::CustomerSource,
        "global_sources",
        "环球资源",
        "Global Sources",
    ),
    (
        DictKind::CustomerSource,
        "website",
        "公司网站",
        "Company website",
    ),
    (DictKind::CustomerSource, "trade_show", "展会", "Trade show"),
    (DictKind::CustomerSource, "referral", "客户介绍", "Referral"),
    (
        DictKind::CustomerSource,
        "search",
        "主动开发",
        "Prospecting",
    ),
    (
        DictKind::CustomerSource,
        "social",
        "社交媒体",
        "Social media",
    ),
    (DictKind::Industry, "machinery", "机械设备", "Machinery"),
    (DictKind::Industry, "electronics", "电子电器", "Electronics"),
    (
        DictKind::Industry,
        "textiles",
        "纺织服装",
        "Textiles and apparel",
    ),
    (DictKind::Industry, "chemicals", "化工", "Chemicals"),
    (DictKind::Industry, "building", "建材", "Building materials"),
    (
        DictKind::Industry,
        "furniture",
        "家具家居",
        "Furniture and home",
    ),
    (DictKind::Industry, "auto_parts", "汽车配件", "Auto parts"),
    (DictKind::MailType, "inquiry", "询盘", "Inquiry"),
    (DictKind::MailType, "quote", "报价", "Quote"),
    (DictKind::MailType, "sample", "样品", "Sample"),
    (DictKind::MailType, "order", "订单", "Order"),
    (DictKind::MailType, "invoice", "发票", "Invoice"),
    (DictKind::MailType, "shipping", "发货", "Shipping"),
    (DictKind::MailType, "payment", "付款", "Payment"),
    (DictKind::MailType, "complaint", "投诉", "Complaint"),
    (DictKind::ProductType, "finished", "成品", "Finished goods"),
    (DictKind::ProductType, "parts", "配件", "Parts"),
    (DictKind::ProductType, "raw", "原材料", "Raw materials"),
    (
        DictKind::Position,
        "general_manager",
        "总经理",
        "General manager",
    ),
    (
        DictKind::Position,
        "department_manager",
        "部门主管",
        "Department manager",
    ),
    (DictKind::Position, "operator", "操作员", "Operator"),
    (DictKind::Position, "salesperson", "业务员", "Salesperson"),
    (DictKind::Position, "service", "客服", "Service staff"),
    (
        DictKind::FollowupStage,
        "first_contact",
        "初次联系",
        "First contact",
    ),
    (
        DictKind::FollowupStage,
        "needs",
        "需求确认",
        "Needs confirmed",
    ),
    (DictKind::FollowupStage, "sample", "寄样", "Samples sent"),
    (DictKind::FollowupStage, "quotation", "报价", "Quotation"),
    (
        DictKind::FollowupStage,
        "negotiation",
        "谈判",
        "Negotiation",
    ),
    (DictKind::FollowupStage, "contract", "签约", "Contract"),
];

pub(crate) async fn foundation(tx: &mut Transaction<'static, Any>) -> sqlx::Result<()> {
    let t = now();
    for role in &PRESET_ROLES {
        sqlx::query(
            "INSERT INTO roles (code, name_zh, name_en, permissions, scope, daily_claim_quota, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 20, $6, $6)",
        )
        .bind(role.code)
        .bind(role.name_zh)
        .bind(role.name_en)
        .bind(format_permissions(role.permissions))
        .bind(role.scope.code())
        .bind(t)
        .execute(&mut **tx)
        .await?;
    }
    let admin_role: i64 = sqlx::query_scalar("SELECT id FROM roles WHERE code = $1")
        .bind(ADMIN_ROLE_CODE)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO users (username, password_hash, name, role_id, is_builtin, created_at, updated_at) \
         VALUES ('admin', NULL, $1, $2, 1, $3, $3)",
    )
    .bind(BUILTIN_ADMIN_NAME)
    .bind(admin_role)
    .bind(t)
    .execute(&mut **tx)
    .await?;

    let mut sort = 0;
    for (kind, code, zh, en) in DICT_ITEMS {
        sort += 10;
        insert_item(tx, kind.code(), code, zh, en, sort, t).await?;
    }
    for (i, line) in COUNTRIES.lines().skip(1).enumerate() {
        let mut cols = line.split('\t');
        let (Some(code), Some(en), Some(zh)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let order = if code == "CN" { 0 } else { (i as i64 + 1) * 10 };
        insert_item(tx, DictKind::Country.code(), code, zh, en, order, t).await?;
    }
    Ok(())
}

async fn insert_item(
    tx: &mut Transaction<'static, Any>,
    kind: &str,
    code: &str,
    zh: &str,
    en: &str,
    sort: i64,
    t: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO dict_items (kind, code, name_zh, name_en, sort_order, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(kind)
    .bind(code)
    .bind(zh)
    .bind(en)
    .bind(sort)
    .bind(t)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

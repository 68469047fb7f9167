//! Customer imports in the browser (CSV and xlsx, fixes in place, export compared), and the
//! imported custom fields in the query builder, list columns, print view and bulk actions.

use std::path::{Path, PathBuf};

use fantoccini::{Client, Locator};

use crate::driver::*;

fn testdata_file(rel: &str) -> Option<PathBuf> {
    let path = wharf_store::testing::testdata_dir()?.join(rel);
    if path.is_file() {
        // Chromium takes only canonical paths for uploads.
        Some(path.canonicalize().unwrap_or(path))
    } else {
        eprintln!("skipped part: {rel} not found (set WHARF_TESTDATA)");
        None
    }
}

/// Uploads a file on the import page and lands on its mapping step.
async fn upload_import(c: &Client, base: &str, path: &Path) {
    c.goto(&format!("{base}/customers/import")).await.unwrap();
    c.find(Locator::Css("#f-file"))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    click(c, "#upload").await;
    expect_text(c, "id=\"mapping-form\"").await;
}

/// Sets the mapping select of the column headed `header` to `value`.
async fn map_column(c: &Client, header: &str, value: &str) {
    let select = c
        .find(Locator::XPath(&format!(
            "//select[@aria-label='{header}']/option[@value='{value}']"
        )))
        .await
        .unwrap_or_else(|_| panic!("no column {header}"));
    select.click().await.unwrap();
}

async fn fix(c: &Client, name: &str, value: &str) {
    fill(c, &format!("input[name='{name}']"), value).await;
}

/// Imports in the browser (CUST-6): the real-world CSV samples (a malformed row fixed in
/// place, an unknown country corrected), 500 contact rows that become companies with
/// several contacts and join existing ones, and an xlsx with deliberate bad rows; then
/// the rows are found in the list and exported, and the export compared.
#[tokio::test]
async fn customers_are_imported_from_csv_and_xlsx() {
    let Some(b) = Browser::start(&[]).await else {
        return;
    };
    let (c, base) = (&b.c, b.base.clone());
    first_start(c, &base).await;

    if let Some(companies) = testdata_file(
        "atomic-crm-import-samples/src/components/atomic-crm/dataImport/companies_sample.csv",
    ) {
        upload_import(c, &base, &companies).await;
        map_column(c, "sector", "").await;
        click(c, "#check").await;
        let preview = expect_text(c, "id=\"error-count\"").await;
        assert!(preview.contains("2 rows have errors"), "{preview}");
        // Acme: "USA" is not a country name of the base data; Globex's row is shifted
        // (a missing column), so its website and phone are wrong.
        fix(c, "fix_1_country", "US").await;
        fix(c, "fix_2_website", "https://globex.example").await;
        fix(c, "fix_2_phones", "555-0111").await;
        snapshot(c, "import-fixes").await;
        click(c, "#recheck").await;
        expect_text(c, "id=\"run-form\"").await;
        assert!(source(c).await.contains("2 new customers"));
        click(c, "#run").await;
        expect_text(c, "id=\"report\"").await;
    }

    if let Some(contacts) = testdata_file("atomic-crm-import-samples/test-data/contacts.csv") {
        upload_import(c, &base, &contacts).await;
        // The guesses: first + last name, company, the e-mail and phone columns.
        let guessed = source(c).await;
        assert!(guessed.contains("value=\"contact_name\" selected"));
        click(c, "#f-allow_existing").await;
        fill(c, "#f-template_name", "atomic contacts").await;
        click(c, "#check").await;
        let preview = expect_text(c, "id=\"summary\"").await;
        if preview.contains("id=\"error-count\"") {
            panic!("the 500 contacts should check cleanly: {preview}");
        }
        click(c, "#run").await;
        let report = expect_text(c, "id=\"report\"").await;
        assert!(report.contains("500 contacts"), "{report}");
        // The saved mapping is offered for the next file.
        c.goto(&format!("{base}/customers/import")).await.unwrap();
    }

    // Two custom fields (CUST-1), defined by the administrator; the xlsx feeds them.
    c.goto(&format!("{base}/system/customer-fields/new"))
        .await
        .unwrap();
    fill(c, "#f-label", "等级").await;
    choose(c, "#f-kind", "choice").await;
    fill(c, "#f-choices", "A级\nB级").await;
    click(c, "#save").await;
    expect_text(c, "A级 · B级").await;
    click(c, "#new").await;
    fill(c, "#f-label", "年采购额").await;
    choose(c, "#f-kind", "number").await;
    click(c, "#save").await;
    expect_text(c, "年采购额").await;
    // A fresh database: the two fields are cf1 and cf2.

    // An xlsx with deliberate errors.
    let header: Vec<String> = [
        "客户名称",
        "联系人",
        "邮箱",
        "国家",
        "下次回访",
        "城市",
        "等级",
        "年采购额",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = [
        [
            "宁波阀门有限公司",
            "王芳",
            "wang@nbvalve.example",
            "中国",
            "2026-12-01",
            "宁波",
            "A级",
            "1,200,000",
        ],
        [
            "Hamburg Pumps GmbH",
            "Jens Vogel",
            "jens@hamburg-pumps",
            "Germany",
            "",
            "Hamburg",
            "b级",
            "80000",
        ],
        ["", "Nobody", "no@body.example", "", "", "", "", ""],
        [
            "Lyon Flanges SA",
            "Marie",
            "marie@lyon.example",
            "Atlantis",
            "2026-02-31",
            "Lyon",
            "C级",
            "lots",
        ],
        [
            "宁波阀门有限公司",
            "李强",
            "li@nbvalve.example",
            "中国",
            "",
            "宁波",
            "",
            "",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();
    let xlsx = wharf_sheets::to_xlsx("Sheet1", &header, &rows).unwrap();
    let path = b.data.join("leads.xlsx");
    std::fs::write(&path, xlsx).unwrap();
    upload_import(c, &base, &path).await;
    // Columns named like a custom field feed it.
    let guessed = source(c).await;
    assert!(
        guessed.contains("value=\"cf1\" selected") && guessed.contains("value=\"cf2\" selected")
    );
    click(c, "#check").await;
    let preview = expect_text(c, "id=\"error-count\"").await;
    assert!(preview.contains("3 rows have errors"), "{preview}");
    assert!(preview.contains("Not a valid email address."));
    assert!(preview.contains("Required."));
    assert!(preview.contains("Not in the base data"));
    assert!(preview.contains("Not a valid choice.") && preview.contains("Enter a number."));
    fix(c, "fix_4_cf1", "B级").await;
    fix(c, "fix_4_cf2", "95000").await;
    fix(c, "fix_2_contact_emails", "jens@hamburg-pumps.example").await;
    fix(c, "fix_3_name", "Nobody Trading").await;
    fix(c, "fix_4_country", "France").await;
    fix(c, "fix_4_next_revisit_at", "2026-03-01").await;
    click(c, "#recheck").await;
    let ready = expect_text(c, "id=\"run-form\"").await;
    assert!(
        ready.contains("4 new customers") && ready.contains("5 contacts"),
        "{ready}"
    );
    click(c, "#run").await;
    expect_text(c, "id=\"report\"").await;

    // Found in the list, with both contacts on the merged company.
    c.goto(&format!("{base}/customers?q=nbvalve"))
        .await
        .unwrap();
    c.goto(&format!("{base}/customers?q=宁波")).await.unwrap();
    expect_text(c, "宁波阀门有限公司").await;
    c.find(Locator::Css("#customer-list tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let page = expect_text(c, "王芳").await;
    assert!(page.contains("李强"), "two contact rows, one company");
    // The query builder: country is France, or city contains 宁波.
    c.goto(&format!("{base}/customers")).await.unwrap();
    click(c, "#query-builder summary").await;
    choose(c, "#f-c0_f", "country_id").await;
    choose(c, "#f-c0_o", "equals").await;
    fill(c, "#f-c0_v", "France").await;
    choose(c, "#f-c1_j", "or").await;
    choose(c, "#f-c1_f", "city").await;
    choose(c, "#f-c1_o", "contains").await;
    fill(c, "#f-c1_v", "宁波").await;
    click(c, "#run-query").await;
    // Only a results page offers to save its query (the click returns before it loads).
    let found = expect_text(c, "id=\"save-query-form\"").await;
    assert!(found.contains("Lyon Flanges SA"));
    assert!(found.contains("宁波阀门有限公司"));
    assert!(!found.contains("Hamburg Pumps GmbH") && !found.contains("Nobody Trading"));
    fill(c, "#f-query_name", "France or Ningbo").await;
    click(c, "#save-query").await;
    expect_text(c, "id=\"saved-queries\"").await;
    // Export what the query shows and compare.
    let export = c
        .find(Locator::Css("#export-csv"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let csv: String = c
        .execute_async(
            &format!(
                "var done = arguments[arguments.length - 1];\
                 fetch({export:?}, {{credentials: 'same-origin'}}).then(r => r.text()).then(done);"
            ),
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    let exported = wharf_sheets::read_table("x.csv", csv.as_bytes()).unwrap();
    let mut names: Vec<&str> = exported[1..].iter().map(|r| r[0].as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["Lyon Flanges SA", "宁波阀门有限公司"]);
    let lyon = exported.iter().find(|r| r[0] == "Lyon Flanges SA").unwrap();
    assert!(lyon.contains(&"France".to_string()) && lyon.contains(&"Marie".to_string()));
    // The custom fields are exported as columns, with the values fixed in place.
    let level = exported[0].iter().position(|h| h == "等级").unwrap();
    let volume = exported[0].iter().position(|h| h == "年采购额").unwrap();
    assert_eq!(
        (lyon[level].as_str(), lyon[volume].as_str()),
        ("B级", "95000")
    );

    custom_fields_in_list_print_and_bulk(c, &base).await;
    b.close().await;
}

/// The custom fields imported above in the builder, as chosen columns, on the print
/// view; a new customer's form checks them; bulk tag and export of ticked rows.
async fn custom_fields_in_list_print_and_bulk(c: &Client, base: &str) {
    c.goto(&format!("{base}/customers")).await.unwrap();
    click(c, "#query-builder summary").await;
    choose(c, "#f-c0_f", "cf1").await;
    choose(c, "#f-c0_o", "equals").await;
    fill(c, "#f-c0_v", "b级").await;
    click(c, "#run-query").await;
    // Only a results page offers to save its query (the click returns before it loads).
    let found = expect_text(c, "id=\"save-query-form\"").await;
    assert!(found.contains("Lyon Flanges SA"));
    assert!(found.contains("Hamburg Pumps GmbH") && !found.contains("宁波阀门有限公司"));
    // Column choice: the two custom fields and the city instead of the defaults' owner.
    click(c, "#column-chooser summary").await;
    click(c, "#col-cf1").await;
    click(c, "#col-cf2").await;
    click(c, "#col-city").await;
    click(c, "#col-owners").await;
    click(c, "#save-columns").await;
    let list = expect_text(c, "<th>年采购额").await;
    assert!(list.contains(">95000</td>") && list.contains(">Hamburg</td>"));
    assert!(!list.contains(">Owners<"), "the owners column was unticked");
    assert!(list.contains("Lyon Flanges SA"), "the query stayed: {list}");
    assert!(!list.contains("宁波阀门有限公司"));
    // The print view: the same rows and columns on a plain page.
    let print = c
        .find(Locator::Css("#print-view"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    c.goto(&format!("{base}{print}")).await.unwrap();
    let printed = expect_text(c, "id=\"print-table\"").await;
    assert!(printed.contains("2 customers"), "{printed}");
    assert!(printed.contains("<th>等级</th>") && printed.contains("<td>B级</td>"));
    assert!(!printed.contains("宁波阀门有限公司") && !printed.contains("id=\"bulk-form\""));
    snapshot(c, "customers-print").await;
    // A new customer: the custom fields are in the form and checked there.
    c.goto(&format!("{base}/customers/new")).await.unwrap();
    fill(c, "#f-name", "Form Fields Co").await;
    choose(c, "#f-cf1", "A级").await;
    fill(c, "#f-cf2", "many").await;
    click(c, "#save").await;
    expect_text(c, "id=\"err-cf2\"").await;
    fill(c, "#f-cf2", "5,000").await;
    click(c, "#save").await;
    // The customer page (the click returns before it loads).
    let shown = expect_text(c, "<dt>年采购额</dt>").await;
    assert!(shown.contains("<dd>5000</dd>"), "{shown}");
    // Bulk: tag the two B级 customers, then export only the ticked ones.
    c.goto(&format!(
        "{base}/customers?c0_f=cf1&c0_o=equals&c0_v=B%E7%BA%A7"
    ))
    .await
    .unwrap();
    expect_text(c, "Lyon Flanges SA").await;
    click(c, "#select-all").await;
    choose(c, "#f-action", "tag").await;
    fill(c, "#f-bulk-tag", "展会2026").await;
    click(c, "#bulk-apply").await;
    expect_text(c, "Done for 2 customers").await;
    c.goto(&format!(
        "{base}/customers?c0_f=tags&c0_o=contains&c0_v=%E5%B1%95%E4%BC%9A2026"
    ))
    .await
    .unwrap();
    let tagged = expect_text(c, "Hamburg Pumps GmbH").await;
    assert!(tagged.contains("Lyon Flanges SA") && !tagged.contains("Form Fields Co"));
    c.goto(&format!("{base}/customers")).await.unwrap();
    expect_text(c, "Form Fields Co").await;
    for name in ["Form Fields Co", "Lyon Flanges SA"] {
        click(c, &format!("input[aria-label='{name}']")).await;
    }
    let csv: String = c
        .execute_async(
            "var done = arguments[arguments.length - 1];\
             var d = new FormData(document.getElementById('bulk-form')); d.set('action', 'export_csv');\
             fetch('/customers/bulk', {method: 'POST', body: new URLSearchParams(d), credentials: 'same-origin'})\
               .then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    let exported = wharf_sheets::read_table("x.csv", csv.as_bytes()).unwrap();
    let mut names: Vec<&str> = exported[1..].iter().map(|r| r[0].as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["Form Fields Co", "Lyon Flanges SA"], "{csv}");
}

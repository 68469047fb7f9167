//! Every template rendered with its typed page data, filled so that each optional part
//! is drawn: with strict undefined variables, a template asking for what its data does
//! not have fails here rather than in front of a user.

use crate::features::mail::views::*;
use crate::features::mail_accounts::views::*;
use crate::features::search::views::*;
use crate::render::tests::{RENDERED, render_with};
use crate::render::{Check, Choice, Field, SelectOption};

fn field(name: &'static str, kind: &'static str) -> Field {
    Field {
        name: name.into(),
        label: name.into(),
        kind,
        value: "v".into(),
        options: Vec::new(),
        suggestions: vec!["s".into()],
        error: Some("bad".into()),
    }
}

fn option(value: &str) -> SelectOption {
    SelectOption {
        value: value.into(),
        label: value.into(),
        on: true,
    }
}

fn label(id: i64) -> Label {
    Label {
        id,
        name: format!("l{id}"),
        on: true,
        here: false,
    }
}

fn account_pages() {
    use crate::confirm::ConfirmPage;
    use crate::features::auth::profile::{ProfilePage, TokenRow};
    use crate::features::auth::sign_in::LoginPage;
    use crate::features::home::pages::{Announcement, HomePage};
    for intro in [Some("first start".to_string()), None] {
        let html = render_with(
            "account/login.html",
            LoginPage {
                action: "/login",
                fields: vec![field("username", "text"), field("password", "password")],
                submit: "Sign in".into(),
                form_error: Some("wrong".into()),
                intro,
            },
        );
        assert!(html.contains(r#"autocomplete="current-password""#));
    }
    render_with(
        "account/profile.html",
        ProfilePage {
            password_fields: vec![field("password", "password")],
            tokens: vec![TokenRow {
                id: 1,
                name: "ci".into(),
                prefix: "wh_1".into(),
                created: "w".into(),
                revoked: false,
            }],
            locales: vec![Choice {
                value: "en".into(),
                label: "English".into(),
                selected: true,
            }],
            new_token: Some("wh_secret".into()),
            must_change: true,
        },
    );
    render_with(
        "home/home.html",
        HomePage {
            welcome: "Hi".into(),
            announcements: vec![Announcement {
                title: "t".into(),
                body: "b".into(),
                pinned: true,
                author_name: "a".into(),
                when: "w".into(),
            }],
            can_publish: true,
            due: crate::features::records::views::tests::due(),
            transfer_requests: vec![crate::features::customers::transfer_requests::tests::row(
                true,
            )],
            my_requests: vec![crate::features::customers::transfer_requests::tests::row(
                false,
            )],
        },
    );
    render_with(
        "shared/confirm.html",
        ConfirmPage {
            action: "/x",
            question: "Sure?".into(),
            fields: vec![("id".into(), "3".into())],
            cancel: "/",
        },
    );
}

fn mail_pages() {
    let pane = MessagePane {
        can_handle: true,
        id: 7,
        list_href: "/mail?view=inbox".into(),
        subject: "s".into(),
        from: "f".into(),
        to: "t".into(),
        cc: "c".into(),
        when: "w".into(),
        account: "a".into(),
        replied: Some("replied".into()),
        sender: Some(SenderPanel {
            address: "x@y.cn".into(),
            party: Some("customer"),
            party_label: Some("Customer".into()),
            matches: vec![
                SenderMatch {
                    visible: true,
                    name: "Acme".into(),
                    href: Some("/customers/1".into()),
                    stage: Some("Lead".into()),
                    contact: Some("Wang".into()),
                    by_domain: true,
                    follow: true,
                    owners: "Li".into(),
                    others: String::new(),
                },
                SenderMatch {
                    visible: false,
                    name: String::new(),
                    href: None,
                    stage: None,
                    contact: None,
                    by_domain: false,
                    follow: false,
                    owners: "Zhao".into(),
                    others: "Zhao's".into(),
                },
            ],
            recent: vec![RecentMail {
                href: "/m".into(),
                when: "w".into(),
                out: true,
                subject: "s".into(),
            }],
            files: vec![RecentFile {
                name: "a.pdf".into(),
                href: "/f".into(),
                when: "w".into(),
            }],
            quick_href: Some("/mail/m/7/customer".into()),
            inquiry: Some("inquiry".into()),
        }),
        auth: crate::features::mail::authentication::AuthPane {
            shown: true,
            state: "done".into(),
            line: "DKIM pass".into(),
            items: Vec::new(),
            warnings: vec!["careful".into()],
            hop: Some("hop".into()),
            checked: Some("checked".into()),
            reason: Some("why".into()),
            signature: Some("signed".into()),
            signature_bad: true,
        },
        types: vec![label(1)],
        tags: vec![label(2)],
        all_tags: vec!["l2".into()],
        folders: vec![label(3)],
        filed: true,
        bounce: Some("bounce".into()),
        delivery: Some("failed".into()),
        delivery_failed: true,
        delivery_state: Some("failed".into()),
        notes: vec![NoteLine {
            when: "w".into(),
            head: "Li".into(),
            text: "t".into(),
            handover: true,
        }],
        colleagues: vec![label(4)],
        follow_up: Some(FollowUp {
            day: "2026-12-08".into(),
            when: "w".into(),
            note: "n".into(),
            due: true,
        }),
        parse_error: Some("p".into()),
        defect: Some("d".into()),
        actions: vec![PaneAction {
            action: "/mail/m/7/purge".into(),
            value: "1",
            id: "purge",
            label: "Purge".into(),
        }],
        attachments: vec![AttachmentLink {
            href: "/a".into(),
            name: "x.exe".into(),
            size: "1 KB".into(),
            risky: true,
            preview: Some("/p".into()),
        }],
        blocked_images: Some("2 images".into()),
        images_href: "/i".into(),
        back: "/mail".into(),
        frame_src: "/mail/m/7/body".into(),
    };
    let link = |id| SideLink {
        id,
        href: "/mail".into(),
        name: "n".into(),
        on: true,
        account: Some("a@b.cn".into()),
        note: Some("refused".into()),
    };
    let page = |message, view: &str| MailboxPage {
        views: vec![ViewLink {
            code: "inbox",
            href: "/mail".into(),
            label: "Inbox".into(),
            on: true,
            count: 3,
        }],
        view: view.into(),
        accounts: vec![
            AccountChoice {
                id: 1,
                address: "a@b.cn".into(),
                on: true,
            },
            AccountChoice {
                id: 2,
                address: "c@b.cn".into(),
                on: false,
            },
        ],
        team: Some(crate::features::mail::views::TeamSwitch {
            on_team: true,
            mine_href: "/mail".into(),
            team_href: "/mail?scope=team".into(),
            mine_unread: 1,
            team_unread: 2,
            people: vec![crate::features::mail::views::TeamPerson {
                id: 1,
                name: "n".into(),
                on: true,
            }],
            user: Some(1),
        }),
        mirror_notes: vec!["a@b.cn: refused".into()],
        account: Some(1),
        folders: vec![link(1)],
        tags: vec![link(2)],
        types: vec![link(3)],
        folder: Some(OpenFolder {
            id: 1,
            name: "n".into(),
            local: true,
        }),
        q: "q".into(),
        drafts: vec![DraftRow {
            id: 1,
            href: "/d".into(),
            subject: "s".into(),
            to: "t".into(),
            when: "w".into(),
        }],
        parties: Some(vec![PartyLink {
            code: "all",
            href: "/mail".into(),
            label: "All".into(),
            on: true,
        }]),
        items: vec![MailItem {
            id: 7,
            href: "/mail?m=7".into(),
            who: "w".into(),
            when: "w".into(),
            subject: "s".into(),
            snippet: "s".into(),
            seen: false,
            flagged: true,
            attach: true,
            on: true,
            followed: true,
            mail_type: Some("t".into()),
            tags: vec!["t".into()],
            deleted: None,
            delivery: Some("d".into()),
            age: Some("2 h".into()),
            follow_up: Some("f".into()),
        }],
        more_href: Some("/mail?after=1".into()),
        empty: "none".into(),
        message,
        conversation: vec![
            ConversationItem {
                href: "/c".into(),
                when: "w".into(),
                who: "w".into(),
                subject: "s".into(),
                on: true,
            },
            ConversationItem {
                href: "/c2".into(),
                when: "w".into(),
                who: "w".into(),
                subject: "s".into(),
                on: false,
            },
        ],
        shortcuts: vec![("j".into(), "next".into())],
    };
    let fragment = render_with(
        "mail/pane_fragment.html",
        serde_json::json!({ "message": &pane, "conversation": [] }),
    );
    assert!(fragment.contains(r#"id="msg-head""#) && !fragment.contains("<html"));
    let html = render_with("mail/mailbox.html", page(Some(pane), "trash"));
    for part in [
        r#"id="sender-card""#,
        r#"id="purge""#,
        r#"id="follow-up-state""#,
        r#"id="trash-search""#,
    ] {
        assert!(html.contains(part), "{part}");
    }
    render_with("mail/mailbox.html", page(None, "inbox"));
    render_with(
        "mail/accounts.html",
        AccountsPage {
            accounts: vec![AccountRow {
                id: 1,
                address: "a@b.cn".into(),
                kind: "personal".into(),
                owner: "Li".into(),
                protocol: "IMAP".into(),
                state: "ok".into(),
                state_class: "ok",
                messages: 3,
            }],
            can_manage: true,
        },
    );
    render_with(
        "mail/account.html",
        AccountPage {
            id: 1,
            state: "syncing".into(),
            state_class: "muted",
            progress: Some("1 / 2".into()),
            last_sync: Some("w".into()),
            error: Some("refused".into()),
            error_step: "login".into(),
            messages: 3,
            syncs: true,
            syncing: true,
            can_manage: true,
            settings: vec![("Host".into(), "imap.example.cn".into())],
            folders: vec![ServerFolder {
                id: 1,
                name: "INBOX".into(),
                role: "inbox".into(),
                selected: true,
                stored_count: 1,
                server_count: 2,
            }],
            mirror_notes: vec!["note".into()],
            checks: Some(vec![Check {
                id: "receive",
                ok: true,
                label: "Receive".into(),
                text: "ok".into(),
            }]),
        },
    );
    let file = |id| CarriedFile {
        id,
        name: "a.pdf".into(),
        size: Some("1 KB".into()),
    };
    for (rich, fragment) in [(true, false), (false, false), (true, true), (false, true)] {
        render_with(
            if fragment {
                "mail/compose_fragment.html"
            } else {
                "mail/compose.html"
            },
            ComposePage {
                accounts: vec![SenderChoice {
                    id: 1,
                    label: "a@b.cn".into(),
                    on: true,
                }],
                fields: vec![field("to", "text"), field("body", "textarea")],
                forwarded: vec![file(1)],
                kept: vec![file(2)],
                reply_to: "3".into(),
                forward_of: String::new(),
                draft_id: String::new(),
                quote_id: String::new(),
                rich,
                editor_language: "en",
                limit: "25 MB".into(),
                form_error: Some("e".into()),
                files_error: Some("too big".into()),
                fragment,
            },
        );
    }
    render_with(
        "mail/sent_fragment.html",
        crate::features::mail::views::SentFragment {
            message_id: 4,
            state: "queued",
            text: "Sending…".into(),
            href: "/mail?view=sent&m=4".into(),
        },
    );
    crate::features::mail::customer_entry::tests::render_sample();
}

fn search_page() {
    let filled = || Filled {
        q: "acme".into(),
        scope: "mail".into(),
        from: String::new(),
        to: String::new(),
        subject: String::new(),
        has: true,
        after: String::new(),
        before: String::new(),
        customer: String::new(),
        sort: "newest".into(),
        trash: true,
    };
    let html = minijinja::Value::from_safe_string("<mark>acme</mark>".into());
    let data = SearchPage {
        search_q: "acme".into(),
        p: filled(),
        filters_open: true,
        accounts: vec![option("1")],
        owners: vec![option("2")],
        types: vec![option("3")],
        tags: vec![option("4")],
        problem: None,
        searched: true,
        incomplete: true,
        mail: Some(Section {
            searched: true,
            total: 30,
            items: vec![MailHit {
                id: 1,
                href: "/m".into(),
                subject_html: html.clone(),
                snippet_html: html.clone(),
                who: "w".into(),
                out: false,
                account: "a".into(),
                when: "w".into(),
                attach: true,
                deleted: true,
            }],
            from: 21,
            prev: Some("/search?mail_offset=0".into()),
            next: Some("/search?mail_offset=40".into()),
        }),
        customers: Some(Section {
            searched: true,
            total: 1,
            items: vec![CustomerHit {
                id: 2,
                href: "/customers/2".into(),
                name_html: html.clone(),
                snippet_html: html,
                stage: "Lead".into(),
                owners: "Li".into(),
            }],
            from: 1,
            prev: None,
            next: None,
        }),
        export_href: Some("/search/export?q=acme".into()),
    };
    let page = render_with("search/results.html", data);
    assert!(page.contains(r#"id="mail-more""#) && page.contains(r#"id="customer-hit-2""#));
    assert!(page.contains(r#"id="search-export-zip""#));
    render_with(
        "search/results.html",
        SearchPage {
            search_q: String::new(),
            p: filled(),
            filters_open: false,
            accounts: Vec::new(),
            owners: Vec::new(),
            types: Vec::new(),
            tags: Vec::new(),
            problem: Some("bad query".into()),
            searched: false,
            incomplete: false,
            mail: None,
            customers: None,
            export_href: None,
        },
    );
}

#[test]
fn every_template_renders_with_its_typed_page_data() {
    crate::render::tests::the_shared_templates_render_their_typed_data();
    crate::features::customers::views::tests::the_list_renders_its_data();
    crate::features::customers::views::tests::the_record_and_print_render_their_data();
    crate::features::customer_import::views::tests::every_import_step_renders();
    crate::features::customers::transfer_requests::tests::the_requests_page_renders_its_data();
    crate::features::pipeline::views::tests::the_pages_render_their_data();
    crate::features::records::views::tests::the_records_pages_render();
    crate::features::workbench::views::tests::the_workbench_renders();
    crate::features::deals::views::tests::the_pages_render();
    crate::features::products::tests::the_pages_render();
    crate::features::quotes::views::tests::the_pages_render();
    crate::features::orders::views::tests::the_pages_render();
    crate::features::tracking::tests::the_pages_render();
    account_pages();
    mail_pages();
    search_page();
    let rendered = RENDERED.with(|r| r.borrow().clone());
    let missing: Vec<&str> = crate::render::templates()
        .iter()
        .map(|(name, _)| *name)
        // The frame every page extends, and the macros they import.
        .filter(|name| !["shared/layout.html", "shared/macros.html"].contains(name))
        // Parts of a page, drawn with it.
        .filter(|name| !name.contains("/parts/"))
        .filter(|name| !rendered.contains(*name))
        .collect();
    assert!(missing.is_empty(), "templates no test renders: {missing:?}");
}

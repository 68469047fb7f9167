//! Supervision without side effects (issue 17): a manager reading a salesperson's
//! unread mail leaves it unread for her, queues no flag push and writes a supervision
//! read to the audit log; the owner's own read marks it read. The Follow-up and
//! Handed lists and their counts follow Mine / Team like the Inbox.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::Actor;
use wharf_core::org::{DepartmentInput, StaffInput};
use wharf_core::permission::PRESET_ROLES;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::{Ctx, Store, testing};
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

struct Person {
    pub actor: Actor,
    pub cookie: String,
    pub csrf: String,
}

/// A company: a Sales department with Lucy (salesperson) and Mia (her department
/// manager), Otto (salesperson) in Export, and a mail account each for Lucy and Otto;
/// the admin as the general manager.
struct Company {
    pub store: Store,
    pub env: wharf_mailbox::Env,
    pub app: axum::Router,
    pub admin: Person,
    pub lucy: Person,
    pub mia: Person,
    pub otto: Person,
    pub lucy_account: i64,
    pub otto_account: i64,
}

async fn session(store: &Store, id: i64) -> Person {
    let s = store
        .create_session(id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    Person {
        actor: store.load_actor(id).await.unwrap().unwrap(),
        cookie: format!("wharf_session={}", s.token),
        csrf: s.csrf_token,
    }
}

async fn company(store: Store) -> Company {
    store
        .complete_setup("admin-password", "127.0.0.1")
        .await
        .unwrap();
    let admin_id = store.find_login("admin").await.unwrap().unwrap().id;
    let admin = store.load_actor(admin_id).await.unwrap().unwrap();
    let ctx = Ctx {
        actor: &admin,
        ip: "127.0.0.1",
    };
    let department = |name: &str| DepartmentInput {
        name: name.into(),
        ..Default::default()
    };
    let sales = store
        .create_department(ctx, department("Sales"))
        .await
        .unwrap();
    let export = store
        .create_department(ctx, department("Export"))
        .await
        .unwrap();
    let roles = store.list_roles(&admin).await.unwrap();
    let role = |code: &str| {
        let preset = PRESET_ROLES.iter().find(|p| p.code == code).unwrap();
        roles
            .iter()
            .find(|r| r.code.as_deref() == Some(preset.code))
            .unwrap()
            .id
    };
    let mut people = Vec::new();
    for (username, code, dept) in [
        ("lucy", "salesperson", sales),
        ("mia", "department_manager", sales),
        ("otto", "salesperson", export),
    ] {
        let id = store
            .create_staff(
                ctx,
                StaffInput {
                    username: username.into(),
                    name: username.into(),
                    role_id: Some(role(code)),
                    department_id: Some(dept),
                    status: "active".into(),
                    password: Some("initial-pass".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        store
            .cli_reset_password(username, "chosen-pass-1")
            .await
            .unwrap();
        people.push(session(&store, id).await);
    }
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let account = |address: &str, owner: i64| wharf_core::mail::account::AccountInput {
        address: address.into(),
        kind: "personal".into(),
        owner_id: Some(owner),
        in_protocol: "imap".into(),
        in_host: "127.0.0.1".into(),
        in_port: 1,
        in_security: "none".into(),
        in_password: "secret-password".into(),
        out_host: "127.0.0.1".into(),
        out_port: 1,
        out_security: "none".into(),
        sync_enabled: false,
        max_attachment_mb: 25,
        ..Default::default()
    };
    let otto = people.pop().unwrap();
    let mia = people.pop().unwrap();
    let lucy = people.pop().unwrap();
    let lucy_account = store
        .create_account(
            ctx,
            &env.vault,
            account("lucy@wharf.test", lucy.actor.user_id),
        )
        .await
        .unwrap();
    let otto_account = store
        .create_account(
            ctx,
            &env.vault,
            account("otto@wharf.test", otto.actor.user_id),
        )
        .await
        .unwrap();
    let state = AppState::new(store.clone(), POLICY, false, env.clone())
        .await
        .unwrap();
    let admin = session(&store, admin_id).await;
    Company {
        app: router(state),
        store,
        env,
        admin,
        lucy,
        mia,
        otto,
        lucy_account,
        otto_account,
    }
}

impl Company {
    /// Delivers an unread inbound message to an account.
    async fn mail(&self, account: i64, subject: &str) -> i64 {
        let bytes = format!(
            "From: Buyer <buyer@example.com>\r\nSubject: {subject}\r\nMessage-ID: <{}@example.com>\r\n\r\nhello\r\n",
            wharf_store::secret::random_token()
        )
        .into_bytes();
        let origin = wharf_mailbox::ingest::Origin {
            account_id: account,
            folder_role: "inbox".into(),
            ..Default::default()
        };
        self.env
            .ingestor()
            .ingest_raw(vec![(bytes, origin)], None)
            .await
            .unwrap()[0]
            .id()
    }

    async fn get(&self, who: &Person, path: &str) -> (StatusCode, String) {
        let req = Request::builder()
            .uri(path)
            .header(header::COOKIE, &who.cookie)
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(Body::empty())
            .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).to_string())
    }

    async fn post(&self, who: &Person, path: &str, body: &str, lang: &str) -> (StatusCode, String) {
        let req = Request::post(path)
            .header(header::COOKIE, &who.cookie)
            .header(header::ACCEPT_LANGUAGE, lang)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("_csrf={}&{body}", who.csrf)))
            .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).to_string())
    }

    async fn supervision_reads(&self, message: i64) -> Vec<wharf_store::audit::AuditRow> {
        let admin = &self.admin.actor;
        self.store
            .search_audit(
                admin,
                &wharf_store::audit::AuditFilter {
                    q: String::new(),
                    username: String::new(),
                    action: "mail.supervision_read".into(),
                    from: None,
                    to: None,
                    page: 1,
                    per_page: 100,
                },
            )
            .await
            .unwrap()
            .items
            .into_iter()
            .filter(|r| r.entity_id == Some(message))
            .collect()
    }
}

async fn is_seen(c: &Company, who: &Actor, id: i64) -> bool {
    c.store.get_message(who, id).await.unwrap().summary.seen
}

#[tokio::test]
async fn a_manager_reading_her_salespersons_mail_leaves_it_unread() {
    for store in testing::backends().await {
        let c = company(store).await;
        let id = c.mail(c.lucy_account, "Inquiry for 500 tents").await;
        let (unread_before, _) = c.store.mail_counts(&c.lucy.actor).await.unwrap();
        assert_eq!(unread_before, 1);

        for path in [
            format!("/mail?view=inbox&m={id}"),
            format!("/mail/m/{id}/body"),
            format!("/mail/m/{id}/eml"),
            format!("/mail/m/{id}/source"),
            format!("/api/v1/mail/messages/{id}"),
        ] {
            let (status, body) = c.get(&c.mia, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(!body.is_empty(), "{path}");
        }
        assert!(
            !is_seen(&c, &c.lucy.actor, id).await,
            "still unread for Lucy"
        );
        let (unread, _) = c.store.mail_counts(&c.lucy.actor).await.unwrap();
        assert_eq!(unread, 1, "her unread count");
        let (_, list) = c.get(&c.lucy, "/mail?view=inbox").await;
        assert!(list.contains("Inquiry for 500 tents"), "in her list");
        assert!(
            c.store
                .find_job(wharf_store::jobs::kinds::FLAGS, &id.to_string())
                .await
                .unwrap()
                .is_none(),
            "no \\Seen pushed to the server"
        );
        let reads = c.supervision_reads(id).await;
        assert_eq!(
            reads.len(),
            1,
            "one supervision read for the pane and all it loads"
        );
        assert_eq!(reads[0].username, "mia");
        let details: serde_json::Value = serde_json::from_str(&reads[0].details).unwrap();
        assert_eq!(details["account_id"], c.lucy_account);
        assert_eq!(details["owner_id"], c.lucy.actor.user_id);
        assert_eq!(details["message_id"], id);

        // The general manager (a mailbox administrator) reads as a supervisor too.
        assert_eq!(
            c.get(&c.admin, &format!("/mail?view=inbox&m={id}")).await.0,
            StatusCode::OK
        );
        assert!(!is_seen(&c, &c.lucy.actor, id).await);
        assert_eq!(c.supervision_reads(id).await.len(), 2);

        // The audit page names the read in the user's language.
        let (_, audit) = c.get(&c.admin, "/system/audit").await;
        assert!(audit.contains("Supervision read (mail)"), "{audit}");
    }
}

#[tokio::test]
async fn the_owner_reading_her_mail_marks_it_read_and_pushes_seen() {
    for store in testing::backends().await {
        let c = company(store).await;
        let id = c.mail(c.lucy_account, "Sample request").await;
        let (status, _) = c.get(&c.lucy, &format!("/mail?view=inbox&m={id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(is_seen(&c, &c.lucy.actor, id).await);
        assert_eq!(c.store.mail_counts(&c.lucy.actor).await.unwrap().0, 0);
        assert!(
            c.store
                .find_job(wharf_store::jobs::kinds::FLAGS, &id.to_string())
                .await
                .unwrap()
                .is_some(),
            "\\Seen is pushed"
        );
        assert!(c.supervision_reads(id).await.is_empty());
    }
}

#[tokio::test]
async fn a_manager_sees_her_own_mailbox_by_default_and_her_team_on_the_switch() {
    for store in testing::backends().await {
        let c = company(store).await;
        c.mail(c.lucy_account, "Tents for Lucy").await;
        c.mail(c.otto_account, "Export for Otto").await;
        let (status, mine) = c.get(&c.mia, "/mail?view=inbox").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !mine.contains("Tents for Lucy"),
            "not merged into her Inbox"
        );
        assert!(mine.contains("id=\"team-switch\""), "she has a team");
        assert!(
            !mine.contains("id=\"count-inbox\""),
            "no unread badge of Lucy's"
        );

        let (status, team) = c.get(&c.mia, "/mail?view=inbox&scope=team").await;
        assert_eq!(status, StatusCode::OK);
        assert!(team.contains("Tents for Lucy"), "the team view lists it");
        assert!(
            !team.contains("Export for Otto"),
            "Otto is outside her scope"
        );
        assert!(
            team.contains("id=\"count-inbox\""),
            "the team's unread badge"
        );
        let lucy = c.lucy.actor.user_id;
        let (status, one) = c
            .get(&c.mia, &format!("/mail?view=inbox&scope=team&user={lucy}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(one.contains("Tents for Lucy"));
        assert!(
            one.contains(&format!("scope=team&amp;user={lucy}"))
                || one.contains(&format!("scope=team&user={lucy}")),
            "links keep the view"
        );

        // Forged ids outside her scope: not found, in her language, never Otto's mail.
        let otto = c.otto.actor.user_id;
        for path in [
            format!("/mail?view=inbox&scope=team&user={otto}"),
            format!("/mail?view=inbox&scope=team&account={}", c.otto_account),
            format!("/mail?view=inbox&account={}", c.lucy_account),
            "/mail?view=inbox&scope=team&user=abc".to_string(),
        ] {
            let (status, body) = c.get(&c.mia, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(!body.contains("Export for Otto"), "{path}");
        }

        // A salesperson has no team: no switch, and the team view is not found.
        let (_, hers) = c.get(&c.lucy, "/mail?view=inbox").await;
        assert!(hers.contains("Tents for Lucy"));
        assert!(!hers.contains("id=\"team-switch\""));
        assert_eq!(
            c.get(&c.lucy, "/mail?view=inbox&scope=team").await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            c.store
                .mail_counts_in(&c.mia.actor, wharf_store::mail::view::MailScope::Mine)
                .await
                .unwrap(),
            (0, 0),
            "her own counts (the header badge) hold none of Lucy's mail"
        );
    }
}

/// A supervisor (her manager, the general manager) gets no buttons that change the
/// owner's mailbox, and the server refuses them in the user's language; the owner has
/// them.
#[tokio::test]
async fn a_supervisor_cannot_mark_file_or_tag_the_owners_mail() {
    for store in testing::backends().await {
        let c = company(store).await;
        let id = c.mail(c.lucy_account, "Inquiry for 80 kayaks").await;
        let folder = c
            .store
            .create_folder(testing::ctx(&c.lucy.actor), c.lucy_account, "Kayaks")
            .await
            .unwrap();
        for who in [&c.mia, &c.admin] {
            let (status, pane) = c
                .get(who, &format!("/mail?view=inbox&m={id}&fragment=1"))
                .await;
            assert_eq!(status, StatusCode::OK);
            for control in [
                "id=\"mark-unread\"",
                "id=\"star\"",
                "id=\"dismiss\"",
                "id=\"spam\"",
                "id=\"tag-form\"",
                "id=\"move-form\"",
                "id=\"type-form\"",
                "id=\"follow-up-form\"",
            ] {
                assert!(
                    !pane.contains(control),
                    "{} sees {control}",
                    who.actor.username
                );
            }
            assert!(pane.contains("id=\"supervision-note\""));
            for (path, body) in [
                (format!("/mail/m/{id}/seen"), "value=1".to_string()),
                (format!("/mail/m/{id}/flag"), "value=1".to_string()),
                (format!("/mail/m/{id}/dismiss"), "value=1".to_string()),
                (format!("/mail/m/{id}/spam"), "value=1".to_string()),
                (format!("/mail/m/{id}/tag"), "name=urgent".to_string()),
                (format!("/mail/m/{id}/move"), format!("folder={folder}")),
            ] {
                let (status, body) = c.post(who, &path, &body, "zh-CN").await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
                assert!(
                    !body.contains("mail.") && body.contains("权限"),
                    "{path}: {body}"
                );
            }
        }
        let m = c.store.get_message(&c.lucy.actor, id).await.unwrap();
        assert!(!m.summary.seen && !m.summary.flagged && !m.pending_dismissed);
        assert_eq!(m.summary.folder_role, "inbox");
        assert!(c.store.tags_of_messages(&[id]).await.unwrap().is_empty());
        assert!(
            c.store
                .folders_of_message(&c.lucy.actor, id)
                .await
                .unwrap()
                .is_empty()
        );

        // Lucy handles her own mail: the buttons are there and work.
        let (_, pane) = c
            .get(&c.lucy, &format!("/mail?view=inbox&m={id}&fragment=1"))
            .await;
        assert!(pane.contains("id=\"star\"") && pane.contains("id=\"tag-form\""));
        assert!(!pane.contains("id=\"supervision-note\""));
        let (status, _) = c
            .post(&c.lucy, &format!("/mail/m/{id}/flag"), "value=1", "en")
            .await;
        assert!(status.is_redirection(), "{status}");
        assert!(
            c.store
                .get_message(&c.lucy.actor, id)
                .await
                .unwrap()
                .summary
                .flagged
        );
    }
}

#[tokio::test]
async fn follow_ups_and_hand_overs_follow_mine_and_team() {
    for store in testing::backends().await {
        let c = company(store).await;
        let lucy = c.lucy.actor.user_id;
        let tracked = c.mail(c.lucy_account, "Tracked for Lucy").await;
        c.store
            .set_follow_up(
                &c.lucy.actor,
                tracked,
                Some(wharf_store::now() - 60),
                "call back",
            )
            .await
            .unwrap();
        let handed = c.mail(c.lucy_account, "Handed to Lucy").await;
        c.store
            .hand_over(
                Ctx {
                    actor: &c.admin.actor,
                    ip: "127.0.0.1",
                },
                handed,
                lucy,
                "yours",
            )
            .await
            .unwrap();
        // Mia's own mailbox: neither Lucy's follow-up nor what was handed to Lucy.
        let (_, mine) = c.get(&c.mia, "/mail?view=followup").await;
        assert!(!mine.contains("Tracked for Lucy"), "{mine}");
        assert!(!mine.contains("id=\"count-followup\""), "{mine}");
        let (_, mine) = c.get(&c.mia, "/mail?view=handed").await;
        assert!(!mine.contains("Handed to Lucy"), "{mine}");
        assert!(!mine.contains("id=\"count-handed\""), "{mine}");
        // The team view: both, with their counts; one person's view too.
        for path in [
            "/mail?view=followup&scope=team".to_string(),
            format!("/mail?view=followup&scope=team&user={lucy}"),
        ] {
            let (status, team) = c.get(&c.mia, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(team.contains("Tracked for Lucy"), "{path}");
            assert!(team.contains("id=\"count-followup\">1<"), "{path}");
            assert!(team.contains("id=\"count-handed\">1<"), "{path}");
        }
        let (_, team) = c.get(&c.mia, "/mail?view=handed&scope=team").await;
        assert!(team.contains("Handed to Lucy"), "{team}");
        // Lucy's own: hers.
        let (_, hers) = c.get(&c.lucy, "/mail?view=handed").await;
        assert!(hers.contains("Handed to Lucy") && hers.contains("id=\"count-handed\">1<"));
    }
}

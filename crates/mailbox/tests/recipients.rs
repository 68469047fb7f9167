//! Recipients with display names, sent for real through Postfix to Dovecot: a quoted
//! name with a comma and a Chinese name both arrive in the delivered To header.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wharf_mail::compose::{Draft, build, parse_recipients};
use wharf_mail::net::{Endpoint, Security};
use wharf_store::testing::backends;

/// The first message in `user`'s INBOX, waiting up to a minute for it to arrive.
async fn delivered(s: &MailServers, user: &str) -> Vec<u8> {
    let endpoint = Endpoint {
        host: s.host.clone(),
        port: s.imap,
        security: Security::None,
        accept_invalid_certs: true,
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let mut conn = wharf_mail::imap::login(&endpoint, user, PASSWORD)
            .await
            .unwrap();
        let sel = conn.select("INBOX").await.unwrap();
        if sel.exists >= 1 {
            let uids: Vec<u32> = conn
                .uids_from(1)
                .await
                .unwrap()
                .iter()
                .map(|u| u.0)
                .collect();
            let mut fetched = conn.fetch(&uids[..1]).await.unwrap();
            conn.logout().await;
            return fetched.remove(0).bytes;
        }
        conn.logout().await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("nothing arrived for {user}");
}

#[tokio::test]
async fn display_names_survive_a_real_send() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let env = env_for(&store);
        let actor = admin(&store).await;
        let sender = fresh_user("names");
        let (wang, wl) = (fresh_user("wangli"), fresh_user("wl"));
        let account = account(&env, &actor, &s, &sender, "imap").await;
        let typed = format!("\"Wang, Li\" <{wang}@{d}>; 王丽 <{wl}@{d}>", d = s.domain);
        let to = parse_recipients("to", &typed).unwrap();
        assert_eq!(to.len(), 2, "the quoted comma does not split the entry");
        let draft = Draft {
            from: wharf_mail::Mailbox {
                name: "Sales".into(),
                address: format!("{sender}@{}", s.domain),
            },
            to,
            subject: "Names".into(),
            text: "Hello".into(),
            ..Default::default()
        };
        let built = build(&draft, &s.domain, &fresh_user("mid")).unwrap();
        let (_, outgoing) = wharf_mailbox::send::queue(
            &env,
            account,
            None,
            &draft.from.address,
            &built.recipients,
            built.bytes,
        )
        .await
        .unwrap();
        let (next, error) = wharf_mailbox::send::deliver(&env, outgoing).await;
        assert_eq!((next, error.as_str()), (None, ""));
        for user in [&wang, &wl] {
            let bytes = delivered(&s, user).await;
            let parsed = wharf_mail::parse(&bytes).unwrap();
            let names: Vec<(&str, String)> = parsed
                .to
                .iter()
                .map(|m| (m.name.as_str(), m.address.clone()))
                .collect();
            assert_eq!(
                names,
                [
                    ("Wang, Li", format!("{wang}@{}", s.domain)),
                    ("王丽", format!("{wl}@{}", s.domain)),
                ],
                "{user}'s copy names both"
            );
        }
    }
}

//! The reading pane's parts for `wharf bench mailbox`: each store call the pane makes
//! (and the blob read), timed on its own over the messages "next" walks, so a slow
//! pane points at its part. Prints p50 / p95 per part in one line.

use std::time::{Duration, Instant};

use wharf_core::Actor;
use wharf_core::dict::DictKind;

/// `ids`: the messages opened one after the other down the list.
pub async fn print(env: &wharf_mailbox::Env, actor: &Actor, ids: &[i64]) -> anyhow::Result<()> {
    let store = &env.store;
    let mut parts: Vec<(&str, Vec<Duration>)> = Vec::new();
    macro_rules! part {
        ($name:expr, $call:expr) => {{
            let t = Instant::now();
            let out = $call;
            let took = t.elapsed();
            match parts.iter_mut().find(|(n, _)| *n == $name) {
                Some((_, v)) => v.push(took),
                None => parts.push(($name, vec![took])),
            }
            out
        }};
    }
    for &id in ids {
        part!("accounts", store.list_accounts(actor).await?);
        part!("handled", store.handled_account_ids(actor).await?);
        let d = part!("message", store.get_message(actor, id).await?);
        part!("blob", env.read_blob(&d.blob_hash).await?);
        part!("thread", store.conversation(actor, &d.summary).await?);
        part!("labels", {
            store.mail_tags(actor).await?;
            store.list_dict(actor, DictKind::MailType).await?
        });
        part!("folders", store.user_folders(actor).await?);
        part!("filed", store.folders_of_read_message(&d).await?);
        part!("tags", store.tags_of_messages(&[id]).await?);
        part!("notes", store.mail_notes(actor, id).await?);
        part!("colleagues", store.colleagues(actor).await?);
        part!("delivery", store.outgoing_for_message(id).await?);
        part!("auth", store.message_auth(actor, id).await?);
        part!(
            "images",
            store
                .images_allowed_from(actor, &d.summary.from_addr)
                .await?
        );
        part!("party", store.message_party(actor, id).await?);
        part!("matches", store.sender_matches(actor, id).await?);
        part!(
            "recent mail",
            store.address_mail(actor, &d.summary.from_addr, 6).await?
        );
        part!(
            "recent files",
            store.address_files(actor, &d.summary.from_addr, 5).await?
        );
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let line: Vec<String> = parts
        .iter_mut()
        .map(|(name, times)| {
            times.sort();
            let p50 = times[times.len() / 2];
            let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
            format!("{name} {:.2}/{:.2}", ms(p50), ms(p95))
        })
        .collect();
    println!("reading pane parts, p50/p95 ms: {}", line.join(", "));
    Ok(())
}

//! Mine / Team (issue 17): the mailbox shows the accounts the user handles herself by
//! default; the team view lists the others her scope lets her see, narrowed to one
//! person. The choice rides in the URL (`scope=team&user=ID`) so it works without
//! JavaScript; ids outside her scope answer not found, never another's mail.

use wharf_store::mail::accounts::Account;
use wharf_store::mail::view::MailScope;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::views::{TeamPerson, TeamSwitch};

/// The scope a mailbox page shows, its accounts and what its links carry.
pub(super) struct Team {
    pub(super) scope: MailScope,
    /// Appended to every link of the page (`&scope=team&user=5`, or nothing).
    pub(super) query: String,
    /// The accounts of the scope, in the order listed.
    pub(super) accounts: Vec<Account>,
    /// The switch, for those who have a team to see.
    pub(super) switch: Option<TeamSwitch>,
}

/// Reads `scope` and `user`; `accounts` are all the user may read.
pub(super) async fn resolve(
    state: &AppState,
    req: &Req,
    scope: &str,
    user: &str,
    accounts: Vec<Account>,
    view: &str,
) -> Result<Team, AppError> {
    let actor = req.actor()?;
    let on_team = match scope {
        "" | "mine" => false,
        "team" => true,
        _ => return Err(AppError::BadRequest),
    };
    let handled = state.store.handled_account_ids(actor).await?;
    let (mine, others): (Vec<Account>, Vec<Account>) =
        accounts.into_iter().partition(|a| handled.contains(&a.id));
    let not_found = || AppError::Domain(wharf_core::DomainError::NotFound);
    if others.is_empty() {
        if on_team || !user.is_empty() {
            return Err(not_found());
        }
        return Ok(Team {
            scope: MailScope::Mine,
            query: String::new(),
            accounts: mine,
            switch: None,
        });
    }
    let owner = match user {
        "" => None,
        id => {
            let id: i64 = id.parse().map_err(|_| not_found())?;
            if !on_team || !others.iter().any(|a| a.owner_id == Some(id)) {
                return Err(not_found());
            }
            Some(id)
        }
    };
    let mut people: Vec<TeamPerson> = Vec::new();
    for a in &others {
        if let Some(id) = a.owner_id
            && !people.iter().any(|p| p.id == id)
        {
            people.push(TeamPerson {
                id,
                name: a.owner_name.clone(),
                on: owner == Some(id),
            });
        }
    }
    let mine_counts = state.store.mail_counts_in(actor, MailScope::Mine).await?;
    let team_counts = state
        .store
        .mail_counts_in(actor, MailScope::Team { owner: None })
        .await?;
    let switch = TeamSwitch {
        on_team,
        mine_href: format!("/mail?view={view}"),
        team_href: format!("/mail?view={view}&scope=team"),
        mine_unread: mine_counts.0,
        team_unread: team_counts.0,
        people,
        user: owner,
    };
    let query = match owner {
        Some(o) => format!("&scope=team&user={o}"),
        None if on_team => "&scope=team".into(),
        None => String::new(),
    };
    let (scope, accounts) = if on_team {
        let listed = others
            .into_iter()
            .filter(|a| owner.is_none_or(|o| a.owner_id == Some(o)))
            .collect();
        (MailScope::Team { owner }, listed)
    } else {
        (MailScope::Mine, mine)
    };
    Ok(Team {
        scope,
        query,
        accounts,
        switch: Some(switch),
    })
}

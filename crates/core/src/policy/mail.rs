//! Who may use a mail account ([`AccountAccess`], as data for SQL [`AccountScope`]), how
//! an actor reaches one message ([`MailGrant`]: through its account or a hand-over, as
//! data for SQL [`MessageScope`]) and what each way allows ([`MailAction`], MAIL-8).

use super::{Actor, Decision, OwnerFilter};
use crate::Permission;

/// What the rule reads of one account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountAccess {
    pub owner_id: Option<i64>,
    /// The owner's department now.
    pub owner_department: Option<i64>,
    pub member_ids: Vec<i64>,
}

impl AccountAccess {
    /// Use it (read its mail, send from it): owner, members, or a holder of
    /// view_others_mail whose data scope covers the owner; mailbox administrators
    /// always. The in-memory form of [`AccountScope`].
    pub fn can_use(&self, actor: &Actor) -> bool {
        actor.has(Permission::Mailboxes)
            || self.owner_id == Some(actor.user_id)
            || self.member_ids.contains(&actor.user_id)
            || (actor.has(Permission::ViewOthersMail)
                && self
                    .owner_id
                    .is_some_and(|o| actor.can_see_owned(o, self.owner_department)))
    }
}

impl AccountAccess {
    /// Handle it as its own user (opening mail marks it read): owner, member, or a
    /// mailbox administrator for an account nobody else handles. The in-memory form of
    /// [`AccountScope::handled_by`].
    pub fn handles(&self, actor: &Actor) -> bool {
        self.owner_id == Some(actor.user_id)
            || self.member_ids.contains(&actor.user_id)
            || (actor.has(Permission::Mailboxes)
                && self.owner_id.is_none()
                && self.member_ids.is_empty())
    }
}

/// The accounts an actor may use, as data the store renders into SQL (one renderer,
/// `wharf_store::access::mail`). Each variant says what [`AccountAccess::can_use`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountScope {
    /// Every account (mailbox administrators).
    All,
    /// The accounts this user owns or is a member of, and, when `others` is set
    /// (view_others_mail), those whose owner it reaches.
    UsedBy {
        user_id: i64,
        others: Option<OwnerFilter>,
    },
    /// The accounts this user handles ([`AccountAccess::handles`]): owns or is a member
    /// of, and, when `unclaimed`, those with neither owner nor members.
    Handles { user_id: i64, unclaimed: bool },
}

impl AccountScope {
    /// The accounts the actor handles herself: owns or is a member of (her "own"
    /// mailbox), without what supervision adds; for a mailbox administrator also the
    /// company accounts nobody else handles (no owner, no members).
    pub fn handled_by(actor: &Actor) -> AccountScope {
        AccountScope::Handles {
            user_id: actor.user_id,
            unclaimed: actor.has(Permission::Mailboxes),
        }
    }

    pub fn of(actor: &Actor) -> AccountScope {
        if actor.has(Permission::Mailboxes) {
            return AccountScope::All;
        }
        AccountScope::UsedBy {
            user_id: actor.user_id,
            others: actor
                .has(Permission::ViewOthersMail)
                .then(|| actor.owner_filter()),
        }
    }
}

/// The messages an actor may read, as data for SQL: those of the accounts in scope and
/// those handed to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageScope {
    pub accounts: AccountScope,
    pub handed_to: i64,
}

impl MessageScope {
    pub fn of(actor: &Actor) -> MessageScope {
        MessageScope {
            accounts: AccountScope::of(actor),
            handed_to: actor.user_id,
        }
    }
}

/// How an actor reaches a message (MAIL-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailGrant {
    /// Through its account (`AccountAccess::can_use`: owner, member, a manager whose
    /// scope covers the owner, a mailbox administrator).
    Account,
    /// Only because someone handed it to them.
    HandedOver,
    /// Not at all: the message does not exist for them.
    None,
}

/// What one does with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailAction {
    /// Open it, download it and its attachments, see its history.
    Read,
    /// Add an internal comment.
    Comment,
    /// Answer or forward it (from one's own account) and mark it answered; file an
    /// inquiry's buyer from it (the quick entry links the buyer's address).
    Reply,
    /// Change it in its mailbox: read / starred, Pending, folders, tags, type,
    /// follow-up.
    Handle,
    /// Hand it (on) to a colleague.
    HandOver,
    /// Move it to Trash or back (also needs `delete_mail`).
    Trash,
    /// Delete it for good (also needs `permanent_delete`).
    Purge,
}

impl MailGrant {
    /// The grant of one who can (or cannot) use the message's account and to whom it
    /// was (or was not) handed: the account wins over a hand-over.
    pub fn of(uses_account: bool, handed_to_them: bool) -> MailGrant {
        if uses_account {
            MailGrant::Account
        } else if handed_to_them {
            MailGrant::HandedOver
        } else {
            MailGrant::None
        }
    }

    /// The in-memory form of [`MessageScope`]: how the actor reaches a message of this
    /// account handed to these users.
    pub fn for_message(actor: &Actor, account: &AccountAccess, handed_to: &[i64]) -> MailGrant {
        MailGrant::of(account.can_use(actor), handed_to.contains(&actor.user_id))
    }

    /// The one rule for mail: account users may do everything their permissions allow;
    /// a receiver of a hand-over may read, comment and reply, nothing else, so they can
    /// neither change the owner's mailbox nor pass the mail on.
    pub fn allows(self, actor: &Actor, action: MailAction) -> Decision {
        let needs = match action {
            MailAction::Trash => Some(Permission::DeleteMail),
            MailAction::Purge => Some(Permission::PermanentDelete),
            _ => None,
        };
        match self {
            MailGrant::None => Decision::SignInFirst,
            MailGrant::HandedOver
                if !matches!(
                    action,
                    MailAction::Read | MailAction::Comment | MailAction::Reply
                ) =>
            {
                Decision::Forbid
            }
            _ if needs.is_some_and(|p| !actor.has(p)) => Decision::Forbid,
            _ => Decision::Allow,
        }
    }

    /// [`MailGrant::allows`] with supervision (issue 17): one who reaches the account but
    /// does not handle it (`handles`: owner, member, or the mailbox administrator of an
    /// account nobody handles; see [`AccountAccess::handles`]) reads it as a supervisor
    /// and may not change the owner's mailbox: no read / unread, star, Pending, spam,
    /// folders, tags, type or follow-up. Comment, reply, hand-over and Trash (with its
    /// own permission, audited) stay.
    pub fn allows_handling(self, actor: &Actor, action: MailAction, handles: bool) -> Decision {
        if self == MailGrant::Account && !handles && action == MailAction::Handle {
            return Decision::Forbid;
        }
        self.allows(actor, action)
    }
}

/// What opening a message does (issue 17): its mailbox's own users (owner, members)
/// mark it read; anyone else reaching it through the account (a manager by data
/// scope, a mailbox administrator) reads it as a supervisor, changing nothing, and the
/// read is logged; a hand-over's receiver reads it without changing the owner's mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenEffect {
    MarkRead,
    SupervisionRead,
    Nothing,
}

impl OpenEffect {
    /// `handles`: the actor owns the message's account or is a member of it.
    pub fn of(grant: MailGrant, handles: bool) -> OpenEffect {
        match grant {
            MailGrant::Account if handles => OpenEffect::MarkRead,
            MailGrant::Account => OpenEffect::SupervisionRead,
            MailGrant::HandedOver | MailGrant::None => OpenEffect::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::actor;
    use super::*;
    use crate::DataScope;

    #[test]
    fn supervisors_do_not_change_the_owners_mailbox() {
        let manager = actor(
            &[Permission::ViewOthersMail],
            DataScope::DepartmentTree,
            &[2],
        );
        let grant = MailGrant::Account;
        assert_eq!(
            grant.allows_handling(&manager, MailAction::Handle, false),
            Decision::Forbid
        );
        assert_eq!(
            grant.allows_handling(&manager, MailAction::Handle, true),
            Decision::Allow
        );
        for a in [
            MailAction::Read,
            MailAction::Comment,
            MailAction::Reply,
            MailAction::HandOver,
        ] {
            assert_eq!(grant.allows_handling(&manager, a, false), Decision::Allow);
        }
        assert_eq!(
            MailGrant::HandedOver.allows_handling(&manager, MailAction::Handle, false),
            Decision::Forbid
        );
    }

    #[test]
    fn who_uses_an_account() {
        let account = |owner: i64, department: i64, members: &[i64]| AccountAccess {
            owner_id: Some(owner),
            owner_department: Some(department),
            member_ids: members.to_vec(),
        };
        let sales = actor(&[], DataScope::Own, &[2]);
        assert!(account(7, 2, &[]).can_use(&sales));
        assert!(account(8, 2, &[7]).can_use(&sales), "a member");
        assert!(!account(8, 2, &[]).can_use(&sales));
        let manager = actor(
            &[Permission::ViewOthersMail],
            DataScope::DepartmentTree,
            &[2],
        );
        assert!(account(8, 2, &[]).can_use(&manager));
        assert!(!account(8, 3, &[]).can_use(&manager));
        let blind = actor(&[], DataScope::DepartmentTree, &[2]);
        assert!(!account(8, 2, &[]).can_use(&blind), "no view_others_mail");
        assert_eq!(
            AccountScope::of(&blind),
            AccountScope::UsedBy {
                user_id: 7,
                others: None
            }
        );
        let admin = actor(&[Permission::Mailboxes], DataScope::Own, &[]);
        assert!(AccountAccess::default().can_use(&admin));
        assert_eq!(AccountScope::of(&admin), AccountScope::All);

        let other = account(8, 3, &[]);
        assert_eq!(
            MailGrant::for_message(&sales, &other, &[7]),
            MailGrant::HandedOver
        );
        assert_eq!(
            MailGrant::for_message(&sales, &other, &[9]),
            MailGrant::None
        );
        assert_eq!(
            MailGrant::for_message(&sales, &account(7, 2, &[]), &[7]),
            MailGrant::Account
        );
    }

    #[test]
    fn only_the_mailbox_users_mark_mail_read() {
        assert_eq!(
            OpenEffect::of(MailGrant::Account, true),
            OpenEffect::MarkRead
        );
        assert_eq!(
            OpenEffect::of(MailGrant::Account, false),
            OpenEffect::SupervisionRead
        );
        assert_eq!(
            OpenEffect::of(MailGrant::HandedOver, false),
            OpenEffect::Nothing
        );
        let manager = actor(
            &[Permission::ViewOthersMail],
            DataScope::DepartmentTree,
            &[2],
        );
        assert_eq!(
            AccountScope::handled_by(&manager),
            AccountScope::Handles {
                user_id: 7,
                unclaimed: false
            }
        );
        let unowned = AccountAccess::default();
        let admin = actor(&[Permission::Mailboxes], DataScope::All, &[]);
        assert!(unowned.handles(&admin), "a company account nobody handles");
        assert!(!unowned.handles(&manager));
        let lucys = AccountAccess {
            owner_id: Some(8),
            ..Default::default()
        };
        assert!(!lucys.handles(&admin), "the admin only sees Lucy's");
    }

    #[test]
    fn handed_mail_is_read_comment_reply_only() {
        use MailAction::*;
        let all = [Read, Comment, Reply, Handle, HandOver, Trash, Purge];
        let sales = actor(&[Permission::DeleteMail], DataScope::Own, &[2]);
        for a in all {
            let want = matches!(a, Read | Comment | Reply);
            assert_eq!(
                MailGrant::HandedOver.allows(&sales, a) == Decision::Allow,
                want,
                "{a:?}"
            );
            assert_ne!(MailGrant::None.allows(&sales, a), Decision::Allow, "{a:?}");
        }
        for a in [Read, Comment, Reply, Handle, HandOver, Trash] {
            assert_eq!(
                MailGrant::Account.allows(&sales, a),
                Decision::Allow,
                "{a:?}"
            );
        }
        assert_eq!(
            MailGrant::Account.allows(&sales, Purge),
            Decision::Forbid,
            "needs permanent_delete"
        );
    }
}

//! Messages of login persons and invitations.

crate::messages! {
    pub enum MemMsg {
        Members => "成员", "Members";
        TabInfo => "业务信息", "Business info";
        Role => "角色", "Role";
        RoleAdmin => "管理员", "Admin";
        RoleMember => "成员", "Member";
        Permissions => "权限", "Permissions";
        PermFunds => "资金管理", "Funds";
        PermFinance => "财务中心", "Finance";
        PermTasks => "任务库", "Tasks";
        Manage => "管理", "Manage";
        You => "本人", "You";
        Active => "正常", "Active";
        Disabled => "已停用", "Disabled";
        Disable => "停用", "Disable";
        Enable => "恢复", "Re-enable";
        TransferPassword => "移交管理员需输入您的密码", "Your password, to hand over the admin role";
        TransferAdmin => "移交管理员", "Make admin (hand over)";
        OpenInvites => "待接受的邀请", "Open invitations";
        Expires => "有效期至", "Valid until";
        Expired => "已过期", "Expired";
        Revoke => "撤回", "Withdraw";
        Invite => "邀请登录人员", "Invite a login person";
        InviteIntro => "被邀请人通过一次性链接设置密码后加入，链接 72 小时内有效。邀请同时进入发件箱等待发送。", "The invitee joins through a one-time link valid for 72 hours and sets a password. The invitation also waits in the outbox for delivery.";
        InviteCreated => "邀请已创建。请将此链接发给被邀请人（只显示一次）：", "Invitation created. Send this link to the invitee (shown once):";
        SendInvite => "发送邀请", "Send invitation";
        InviteTitle => "接受邀请", "Accept the invitation";
        ChoosePassword => "设置登录密码", "Choose a password";
        Join => "同意并加入", "Accept and join";
    }
}

use crate::model::account::{AccountStatus, MemberRole, Permission};

pub fn role_label(r: MemberRole) -> MemMsg {
    match r {
        MemberRole::Admin => MemMsg::RoleAdmin,
        MemberRole::Member => MemMsg::RoleMember,
    }
}

pub fn perm_label(p: Permission) -> MemMsg {
    match p {
        Permission::Funds => MemMsg::PermFunds,
        Permission::Finance => MemMsg::PermFinance,
        Permission::Tasks => MemMsg::PermTasks,
    }
}

pub fn status_label(status: AccountStatus) -> MemMsg {
    match status {
        AccountStatus::Active => MemMsg::Active,
        AccountStatus::Disabled => MemMsg::Disabled,
    }
}

//! Where the platform's messages go, from the configuration: SMTP or the development mailbox
//! for e-mail, Alibaba Cloud's SMS gateway for texts (moved out of `startup`).

use crate::config::{ServeArgs, SmtpSecurity};
use crate::sms::aliyun::{AliyunConfig, AliyunSms};
use crate::sms::parse_templates;
use app::backend::delivery::sms::{Routed, SmsGateway};
use app::backend::delivery::smtp::{Security, SmtpConfig, SmtpTransport};
use app::backend::delivery::{DevMailbox, Transport};
use std::sync::Arc;

pub fn smtp_host(args: &ServeArgs) -> Option<&str> {
    args.smtp_host
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
}

/// Where messages go: the configured SMTP server; without one, the development mailbox (in
/// production the server refuses to start without one unless `--no-outbound`, and then no
/// worker runs).
pub fn transport(args: &ServeArgs) -> Result<Arc<dyn Transport>, String> {
    if smtp_host(args).is_none() && args.dkim.key()?.is_some() {
        return Err("DKIM signs e-mail sent over SMTP: give --smtp-host".into());
    }
    let email: Arc<dyn Transport> = match smtp_host(args) {
        Some(host) => Arc::new(smtp(args, host)?),
        // In production without SMTP (`--no-outbound`) no worker runs: nothing is delivered.
        None => Arc::new(DevMailbox),
    };
    Ok(Arc::new(Routed {
        email,
        sms: sms_gateway(args)?,
    }))
}

/// The SMS gateway, when `--sms-access-key-id` is given.
fn sms_gateway(args: &ServeArgs) -> Result<Option<Arc<dyn SmsGateway>>, String> {
    let Some(id) = args
        .sms_access_key_id
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
    else {
        return Ok(None);
    };
    let secret = args
        .sms_access_key_secret
        .as_ref()
        .map(|s| s.expose().to_string())
        .filter(|s| !s.is_empty())
        .ok_or("--sms-access-key-secret goes with --sms-access-key-id")?;
    let gateway = AliyunSms::new(AliyunConfig {
        endpoint: args.sms_endpoint.trim().to_string(),
        access_key_id: id.to_string(),
        access_key_secret: secret,
        sign_name: args.sms_sign_name.trim().to_string(),
        templates: parse_templates(&args.sms_template)?,
    })?;
    Ok(Some(Arc::new(gateway)))
}

fn smtp(args: &ServeArgs, host: &str) -> Result<SmtpTransport, String> {
    let security = match args.smtp_security {
        SmtpSecurity::None => Security::None,
        SmtpSecurity::Starttls => Security::StartTls,
        SmtpSecurity::Tls => Security::Tls,
    };
    let port = args.smtp_port.unwrap_or(match security {
        Security::None => 25,
        Security::StartTls => 587,
        Security::Tls => 465,
    });
    let smtp = SmtpTransport::new(SmtpConfig {
        host: host.to_string(),
        port,
        security,
        username: args.smtp_username.clone(),
        password: args.smtp_password.as_ref().map(|p| p.expose().to_string()),
        from: args.mail_from.clone(),
        link_origin: args.public_origin.clone(),
        dkim: args.dkim.key()?,
    })?;
    Ok(smtp)
}

//! Where personal data goes (issue 16 §8, P4.1): the policy promises storage in one region
//! (`--storage-region-code`, default `cn-mainland`). Every outside service that receives
//! personal data declares its region — the e-mail server (`--smtp-region`, which production
//! must give), the SMS gateway (from Alibaba Cloud's endpoint, whose host names its region),
//! WeChat (from its API host) and the payout channel (`PayoutChannel::region`: every real channel
//! declares one) — and the server refuses to start when one is elsewhere.

use crate::config::ServeArgs;
use app::backend::payouts::ChannelRegion;

/// The mainland-China region code (the default storage region).
pub const CN_MAINLAND: &str = "cn-mainland";

/// An outside service and the region it declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    pub name: &'static str,
    pub region: String,
}

/// The region of an Alibaba Cloud SMS endpoint: `dysmsapi.aliyuncs.com` is the mainland;
/// `dysmsapi.<region>.aliyuncs.com` names its region (e.g. `ap-southeast-1`); any other host
/// (a simulator on this machine) is where the platform runs.
pub fn aliyun_region(endpoint: &str, storage: &str) -> String {
    let host = host_of(endpoint);
    match host.strip_suffix(".aliyuncs.com") {
        Some("dysmsapi") => CN_MAINLAND.to_string(),
        Some(rest) => match rest.strip_prefix("dysmsapi.") {
            Some(r) if MAINLAND_REGIONS.contains(&r) => CN_MAINLAND.to_string(),
            Some(r) => r.to_string(),
            None => format!("unknown ({host})"),
        },
        None => local_or_unknown(&host, storage),
    }
}

/// Alibaba Cloud's mainland region ids (`cn-hongkong` is not one of them).
const MAINLAND_REGIONS: &[&str] = &[
    "cn-qingdao",
    "cn-beijing",
    "cn-zhangjiakou",
    "cn-huhehaote",
    "cn-wulanchabu",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-nanjing",
    "cn-fuzhou",
    "cn-shenzhen",
    "cn-heyuan",
    "cn-guangzhou",
    "cn-chengdu",
    "cn-wuhan",
];

/// The host of `url`, lower case, without a trailing dot.
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// A simulator on this machine is where the platform runs; any other host is unknown (and so
/// refused, unless the storage region is declared as that).
fn local_or_unknown(host: &str, storage: &str) -> String {
    let local = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if local {
        storage.to_string()
    } else {
        format!("unknown ({host})")
    }
}

/// The region of WeChat's API host: `hk.api.weixin.qq.com` is Hong Kong, the others the
/// mainland; a simulator is where the platform runs.
pub fn wechat_region(api_base: &str, storage: &str) -> String {
    let host = host_of(api_base);
    if host == "hk.api.weixin.qq.com" {
        "hk".to_string()
    } else if host.ends_with(".weixin.qq.com") {
        CN_MAINLAND.to_string()
    } else {
        local_or_unknown(&host, storage)
    }
}

/// Every configured outside service with its region.
pub fn providers(args: &ServeArgs) -> Result<Vec<Provider>, String> {
    let storage = args.storage_region_code.trim().to_string();
    let mut out = Vec::new();
    if crate::outbound::smtp_host(args).is_some() {
        let region = match args.smtp_region.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => r.to_string(),
            _ if args.production => {
                return Err("declare where the e-mail server is: --smtp-region (P4.1)".into())
            }
            _ => storage.clone(),
        };
        out.push(Provider {
            name: "the e-mail server (--smtp-host)",
            region,
        });
    }
    if args
        .sms_access_key_id
        .as_deref()
        .is_some_and(|i| !i.trim().is_empty())
    {
        out.push(Provider {
            name: "the SMS gateway (--sms-endpoint)",
            region: aliyun_region(&args.sms_endpoint, &storage),
        });
    }
    if args
        .wechat_appid
        .as_deref()
        .is_some_and(|a| !a.trim().is_empty())
    {
        out.push(Provider {
            name: "WeChat (--wechat-api-base)",
            region: wechat_region(&args.wechat_api_base, &storage),
        });
    }
    Ok(out)
}

/// The payout channel as a provider: one in this process is where the platform runs.
pub fn payout_provider(region: &ChannelRegion, storage: &str) -> Provider {
    Provider {
        name: "the payout channel",
        region: match region {
            ChannelRegion::InProcess => storage.trim().to_string(),
            ChannelRegion::Declared(r) => r.trim().to_string(),
        },
    }
}

/// P4.1: refuses a provider outside the storage region.
pub fn check_provider(p: &Provider, storage: &str) -> Result<(), String> {
    let storage = storage.trim();
    if p.region == storage {
        return Ok(());
    }
    Err(format!(
        "{} is in region {:?}, outside the storage region {storage:?} (--storage-region-code): personal data must stay there (P4.1)",
        p.name, p.region
    ))
}

/// P4.1: refuses a configuration that sends personal data outside the storage region.
pub fn check(args: &ServeArgs) -> Result<(), String> {
    let storage = args.storage_region_code.trim();
    // The words the policy and the privacy centre show must not say the mainland when the
    // code says otherwise.
    if storage != CN_MAINLAND && args.storage_region.trim() == "中国大陆" {
        return Err(format!(
            "--storage-region-code is {storage:?} but --storage-region still says 中国大陆: give the region's name too"
        ));
    }
    for p in providers(args)? {
        check_provider(&p, storage)?;
    }
    Ok(())
}

/// Where each processor of the sharing register is (issue 19; P3.1.1), as this configuration
/// declares it: the payout channel, the SMS gateway (the storage region while the development
/// mailbox stands in) and the e-mail server (likewise). Written at every start.
pub fn recipient_regions(args: &ServeArgs, payout: &Provider) -> Vec<(&'static str, String)> {
    use app::model::sharing::codes;
    let storage = args.storage_region_code.trim().to_string();
    let sms = match args.sms_access_key_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => aliyun_region(&args.sms_endpoint, &storage),
        _ => storage.clone(),
    };
    let mail = match args.smtp_region.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() && crate::outbound::smtp_host(args).is_some() => r.to_string(),
        _ => storage.clone(),
    };
    vec![
        (codes::PAYOUT_CHANNEL, payout.region.clone()),
        (codes::SMS_PROVIDER, sms),
        (codes::MAIL_RELAY, mail),
        // The authorities and the enterprises' own systems are where the platform serves.
        (codes::PUBLIC_AUTHORITIES, storage.clone()),
        (codes::ENTERPRISE_API, storage),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p4_1_a_payout_channel_outside_the_storage_region_is_refused() {
        let here = payout_provider(&ChannelRegion::InProcess, CN_MAINLAND);
        assert_eq!(check_provider(&here, CN_MAINLAND), Ok(()));
        let mainland = payout_provider(&ChannelRegion::Declared(CN_MAINLAND.into()), CN_MAINLAND);
        assert_eq!(check_provider(&mainland, CN_MAINLAND), Ok(()));
        let abroad = payout_provider(
            &ChannelRegion::Declared("ap-southeast-1".into()),
            CN_MAINLAND,
        );
        let err = check_provider(&abroad, CN_MAINLAND).unwrap_err();
        assert!(
            err.contains("the payout channel") && err.contains("ap-southeast-1"),
            "{err}"
        );
    }

    #[test]
    fn p4_1_regions_from_endpoints() {
        assert_eq!(
            aliyun_region("https://dysmsapi.aliyuncs.com/", CN_MAINLAND),
            CN_MAINLAND
        );
        assert_eq!(
            aliyun_region("https://dysmsapi.ap-southeast-1.aliyuncs.com/", CN_MAINLAND),
            "ap-southeast-1"
        );
        assert_eq!(
            aliyun_region("https://dysmsapi.cn-hangzhou.aliyuncs.com/", "x"),
            CN_MAINLAND
        );
        assert_eq!(
            aliyun_region("http://127.0.0.1:3130/", CN_MAINLAND),
            CN_MAINLAND
        );
        assert_eq!(wechat_region("https://api.weixin.qq.com", "x"), CN_MAINLAND);
        assert_eq!(wechat_region("https://hk.api.weixin.qq.com", "x"), "hk");
        assert_eq!(wechat_region("http://127.0.0.1:9/wxsim", "here"), "here");
        assert_eq!(
            aliyun_region("https://dysmsapi.cn-hongkong.aliyuncs.com/", CN_MAINLAND),
            "cn-hongkong"
        );
        assert_eq!(
            aliyun_region(
                "https://dysmsapi.ap-southeast-1.aliyuncs.com./",
                CN_MAINLAND
            ),
            "ap-southeast-1",
            "a trailing dot changes nothing"
        );
        assert_eq!(
            aliyun_region("https://sms-relay.example.sg/", CN_MAINLAND),
            "unknown (sms-relay.example.sg)"
        );
        assert_eq!(
            wechat_region("https://wx-proxy.example.com", CN_MAINLAND),
            "unknown (wx-proxy.example.com)"
        );
    }
}

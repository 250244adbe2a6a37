//! WeChat login (P1.1.3; issue 15): the HTTP client of WeChat's server-to-server API, the
//! development simulator of WeChat's login (`server wechat-sim`, or inside a development
//! server under [`SIM_MOUNT`]), and the configuration that picks between them.

pub mod client;
pub mod routes;
pub mod simulator;

use crate::config::ServeArgs;
use app::backend::wechat::WechatSetup;
use std::sync::Arc;

/// Where a development server without `--wechat-appid` mounts the simulator.
pub const SIM_MOUNT: &str = "/wxsim";
/// The simulated application inside a development server.
pub const SIM_APPID: &str = "wx-dev-app";
pub const SIM_SECRET: &str = "wx-dev-secret";

/// WeChat's authorisation host, the only one production sends browsers to.
pub const OPEN_HOSTS: [&str; 1] = ["open.weixin.qq.com"];
/// WeChat's API hosts (the general one and its documented regional ones): the only ones
/// production sends the app secret to.
pub const API_HOSTS: [&str; 5] = [
    "api.weixin.qq.com",
    "api2.weixin.qq.com",
    "sh.api.weixin.qq.com",
    "sz.api.weixin.qq.com",
    "hk.api.weixin.qq.com",
];

/// Whether `url` is HTTPS to one of `hosts`, with no user part and the default port (a
/// simulator's address, or any other host, is refused in production).
pub fn is_wechat_host(url: &str, hosts: &[&str]) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    u.scheme() == "https"
        && u.username().is_empty()
        && u.password().is_none()
        && u.port().is_none()
        && u.host_str().is_some_and(|h| hosts.contains(&h))
}

/// WeChat login from `--wechat-*`: the real hosts (or, outside production, any server that
/// speaks WeChat's protocol). `None` without an appid: then a development server runs the
/// simulator inside itself (`startup`), and production has no WeChat login.
pub fn configured(args: &ServeArgs) -> Result<Option<WechatSetup>, String> {
    let Some(appid) = args
        .wechat_appid
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    else {
        let set = args.wechat_secret.is_some()
            || args.wechat_open_base != client::DEFAULT_OPEN_BASE
            || args.wechat_api_base != client::DEFAULT_API_BASE;
        if set {
            return Err("--wechat-secret and --wechat-*-base need --wechat-appid".into());
        }
        return Ok(None);
    };
    let secret = args
        .wechat_secret
        .as_ref()
        .map(|s| s.expose().trim().to_string())
        .unwrap_or_default();
    if args.production {
        for (flag, url, hosts) in [
            (
                "--wechat-open-base",
                &args.wechat_open_base,
                &OPEN_HOSTS[..],
            ),
            ("--wechat-api-base", &args.wechat_api_base, &API_HOSTS[..]),
        ] {
            if !is_wechat_host(url, hosts) {
                return Err(format!(
                    "{flag} {url:?}: production talks to WeChat's own hosts over HTTPS ({}), never to a simulator",
                    hosts.join(", ")
                ));
            }
        }
    }
    let api = client::HttpWechat::new(client::WechatConfig {
        api_base: args.wechat_api_base.clone(),
        appid: appid.to_string(),
        secret,
        strict: args.production,
    })?;
    Ok(Some(WechatSetup {
        api: Arc::new(api),
        appid: appid.to_string(),
        open_base: args.wechat_open_base.trim_end_matches('/').to_string(),
        simulated: false,
        website: args.wechat_website,
    }))
}

/// The simulator inside a development server: browsers reach it at `origin` (the public
/// origin, or the server's address), the server's client at `local` (its own loopback address,
/// not through a proxy). The setup that talks to it, and its routes to mount at [`SIM_MOUNT`].
pub fn in_process(
    origin: &str,
    local: std::net::SocketAddr,
    clock: app::backend::clock::SharedClock,
    website: bool,
) -> Result<(WechatSetup, simulator::Simulator), String> {
    let base = format!("{}{SIM_MOUNT}", origin.trim_end_matches('/'));
    let port = local.port();
    let sim = simulator::Simulator::new(simulator::SimConfig {
        appid: SIM_APPID.into(),
        secret: SIM_SECRET.into(),
        unionid: false,
        clock,
        mount: SIM_MOUNT.into(),
        public_base: base.clone(),
        callback_hosts: reqwest::Url::parse(origin)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .into_iter()
            .chain(["127.0.0.1".to_string(), "localhost".to_string()])
            .collect(),
    });
    let api = client::HttpWechat::new(client::WechatConfig {
        api_base: format!("http://127.0.0.1:{port}{SIM_MOUNT}"),
        appid: SIM_APPID.into(),
        secret: SIM_SECRET.into(),
        strict: false,
    })?;
    let setup = WechatSetup {
        api: Arc::new(api),
        appid: SIM_APPID.into(),
        open_base: base,
        simulated: true,
        website,
    };
    Ok((setup, sim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_1_3_production_refuses_simulator_urls() {
        assert!(is_wechat_host("https://open.weixin.qq.com", &OPEN_HOSTS));
        assert!(is_wechat_host("https://api.weixin.qq.com/", &API_HOSTS));
        assert!(is_wechat_host("https://sh.api.weixin.qq.com", &API_HOSTS));
        for url in [
            "http://api.weixin.qq.com",
            "https://api.weixin.qq.com:8443",
            "https://x@api.weixin.qq.com",
            "https://open.weixin.qq.com",
            "https://127.0.0.1:3400",
            "https://127.1",
            "https://2130706433",
            "https://LOCALHOST",
            "https://localhost./wxsim",
            "https://[::1]:3400",
            "https://api.weixin.qq.com.evil.example",
            "https://",
        ] {
            assert!(!is_wechat_host(url, &API_HOSTS), "{url}");
        }
    }
}

//! WeChat login (P1.1.3; issue 15): the HTTP client of WeChat's server-to-server API, the
//! development simulator of WeChat's login (`server wechat-sim`, or inside a development
//! server under [`SIM_MOUNT`]), and the configuration that picks between them.

pub mod client;
pub mod simulator;

use crate::config::ServeArgs;
use app::backend::wechat::WechatSetup;
use std::sync::Arc;

/// Where a development server without `--wechat-appid` mounts the simulator.
pub const SIM_MOUNT: &str = "/wxsim";
/// The simulated application inside a development server.
pub const SIM_APPID: &str = "wx-dev-app";
pub const SIM_SECRET: &str = "wx-dev-secret";

/// Whether `url` is WeChat-like: HTTPS to a named host that is not this machine. Production
/// refuses anything else (a simulator's address).
pub fn is_public_https(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or("");
    let local = host.is_empty()
        || host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<std::net::IpAddr>().is_ok()
        || host.starts_with('[');
    !local
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
        return Ok(None);
    };
    let secret = args
        .wechat_secret
        .as_ref()
        .map(|s| s.expose().trim().to_string())
        .unwrap_or_default();
    if args.production {
        for (flag, url) in [
            ("--wechat-open-base", &args.wechat_open_base),
            ("--wechat-api-base", &args.wechat_api_base),
        ] {
            if !is_public_https(url) {
                return Err(format!(
                    "{flag} {url:?}: production talks to WeChat over HTTPS, never to a simulator"
                ));
            }
        }
    }
    let api = client::HttpWechat::new(client::WechatConfig {
        api_base: args.wechat_api_base.clone(),
        appid: appid.to_string(),
        secret,
    })?;
    Ok(Some(WechatSetup {
        api: Arc::new(api),
        appid: appid.to_string(),
        open_base: args.wechat_open_base.trim_end_matches('/').to_string(),
        simulated: false,
    }))
}

/// The simulator inside a development server at `origin` (its own address): the setup that
/// talks to it, and its routes to mount at [`SIM_MOUNT`].
pub fn in_process(
    origin: &str,
    clock: app::backend::clock::SharedClock,
) -> Result<(WechatSetup, simulator::Simulator), String> {
    let base = format!("{}{SIM_MOUNT}", origin.trim_end_matches('/'));
    let sim = simulator::Simulator::new(simulator::SimConfig {
        appid: SIM_APPID.into(),
        secret: SIM_SECRET.into(),
        unionid: false,
        clock,
        mount: SIM_MOUNT.into(),
    });
    let api = client::HttpWechat::new(client::WechatConfig {
        api_base: base.clone(),
        appid: SIM_APPID.into(),
        secret: SIM_SECRET.into(),
    })?;
    let setup = WechatSetup {
        api: Arc::new(api),
        appid: SIM_APPID.into(),
        open_base: base,
        simulated: true,
    };
    Ok((setup, sim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_1_3_production_refuses_simulator_urls() {
        assert!(is_public_https("https://open.weixin.qq.com"));
        assert!(is_public_https("https://api.weixin.qq.com/"));
        for url in [
            "http://api.weixin.qq.com",
            "https://127.0.0.1:3400",
            "https://localhost/wxsim",
            "https://[::1]:3400",
            "https://10.0.0.5",
            "https://",
        ] {
            assert!(!is_public_https(url), "{url}");
        }
    }
}

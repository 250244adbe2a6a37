//! Issue 15 (P1.1.3): WeChat's own QR page for a website application (`--wechat-website`,
//! `qrconnect`, `snsapi_login`): the desktop goes there itself, WeChat (the simulator) sends it
//! back with a code, and it is logged in, or told "not bound"; binding goes the same way after
//! the password.

use crate::fixtures::session_cookie;
use crate::helpers::{spawn_app_with, TestApp, APPLICANT_PW};
use std::collections::HashMap;

/// A desktop browser that keeps its cookies (one jar, as a browser does).
struct Browser {
    client: reqwest::Client,
    jar: HashMap<String, String>,
}

impl Browser {
    fn new(cookie: &str) -> Self {
        let mut jar = HashMap::new();
        for pair in cookie.split("; ").filter(|p| !p.is_empty()) {
            if let Some((k, v)) = pair.split_once('=') {
                jar.insert(k.to_string(), v.to_string());
            }
        }
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            jar,
        }
    }

    fn cookie(&self) -> String {
        self.jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// GET `url`; keeps the cookies it sets; returns the status and where it redirects.
    async fn get(&mut self, url: &str) -> (u16, String) {
        let res = self
            .client
            .get(url)
            .header("cookie", self.cookie())
            .send()
            .await
            .unwrap();
        for set in crate::fixtures::set_cookies(&res) {
            if let Some((k, v)) = set.split(';').next().and_then(|p| p.split_once('=')) {
                self.jar.insert(k.to_string(), v.to_string());
            }
        }
        let to = res
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (res.status().as_u16(), to)
    }

    /// Through WeChat's own QR page as the WeChat user `user`; returns where the platform
    /// sends the desktop after WeChat's return.
    async fn through_wechat(&mut self, app: &TestApp, start: &str, user: &str) -> String {
        let (status, qrconnect) = self.get(&app.url(start)).await;
        assert_eq!(status, 303, "{start}");
        assert!(
            qrconnect.contains("/connect/qrconnect?")
                && qrconnect.contains("scope=snsapi_login")
                && qrconnect.ends_with("#wechat_redirect"),
            "{qrconnect}"
        );
        let back =
            crate::scan_helpers::sim_decides(&self.client, app, &qrconnect, user, true).await;
        let (status, to) = self.get(&back).await;
        assert_eq!(status, 303);
        to
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_3_website_application_logs_in_on_wechat_s_own_qr_page() {
    let app = spawn_app_with(&["--wechat-website"]).await;
    // The login tab offers WeChat's page instead of a code of the platform's.
    let res = app
        .call(
            "start_wechat_scan",
            &[("purpose", "login"), ("lang", "zh-CN")],
        )
        .await;
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["kind"], "website");
    assert_eq!(v["href"], "/wx/website?purpose=login");
    // Not bound yet: told on the login page.
    let mut desktop = Browser::new("");
    let to = desktop
        .through_wechat(&app, "/wx/website?purpose=login", "zhang")
        .await;
    assert_eq!(to, "/login?via=wechat&problem=not_bound");

    // Bind: the password, then WeChat's page; the profile comes with `snsapi_login`.
    let (cookie, _) = app.register_unique_login().await;
    let res = app
        .call_as(
            &cookie,
            "begin_wechat_bind",
            &[("password", APPLICANT_PW), ("lang", "zh-CN")],
        )
        .await;
    let browser = session_cookie(&res, "esp_wx_browser").unwrap();
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/portal/account?bind=wechat#wechat"
    );
    // The binding card links to WeChat's page for this browser's binding code.
    let v: serde_json::Value = app
        .call_as(
            &format!("{cookie}; {browser}"),
            "start_wechat_scan",
            &[("purpose", "bind"), ("lang", "zh-CN")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["kind"], "website");
    let start = v["href"].as_str().unwrap().to_string();
    assert!(start.starts_with("/wx/website?ticket="), "{start}");
    // Only with the login person's session (a code left in a shared browser's history is not
    // a way to bind someone else's WeChat after they logged out).
    let mut after_logout = Browser::new(&browser);
    let (status, to) = after_logout.get(&app.url(&start)).await;
    assert_eq!(
        (status, to.as_str()),
        (303, "/portal/account?problem=bad_state#wechat")
    );
    let mut owner = Browser::new(&format!("{cookie}; {browser}"));
    let to = owner.through_wechat(&app, &start, "zhang").await;
    assert_eq!(to, "/portal/account#wechat");
    let mine: serde_json::Value = app
        .call_as(&cookie, "my_wechat", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["nickname"], "张三");

    // Log in on WeChat's page: back to the platform, which finishes on this very browser.
    let mut desktop = Browser::new("");
    let to = desktop
        .through_wechat(&app, "/wx/website?purpose=login", "zhang")
        .await;
    assert!(to.starts_with("/wx/website/finish/"), "{to}");
    // Another browser cannot finish it.
    let mut other = Browser::new("");
    assert_eq!(
        other.get(&app.url(&to)).await,
        (303, "/login?via=wechat&problem=bad_state".to_string())
    );
    let (status, portal) = desktop.get(&app.url(&to)).await;
    assert_eq!((status, portal.as_str()), (303, "/portal"));
    let session = format!("esp_session={}", desktop.jar["esp_session"]);
    let me: serde_json::Value = app
        .call_as(&session, "whoami", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(me.is_object(), "logged in: {me}");
    // Once.
    assert_eq!(
        desktop.get(&app.url(&to)).await.1,
        "/login?via=wechat&problem=bad_state"
    );
    // The platform's own phone page is not used.
    let res = app
        .client
        .get(app.url("/wx/scan/abc"))
        .header("user-agent", crate::scan_helpers::PHONE_UA)
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), 303);
}

//! Issue 15's test helpers: a desktop's ticket, a phone inside WeChat with its own cookie, the
//! simulator's authorisation page played as a WeChat user, and the whole bind and scan flows
//! (used by `scan_login.rs`, `scan_website.rs` and the authorisation walk).

use crate::fixtures::session_cookie;
use crate::helpers::{TestApp, APPLICANT_PW};
use serde_json::Value;
use std::collections::HashMap;

pub const PHONE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47";

/// A desktop browser's ticket: the ticket and the browser's scan-login cookie.
pub struct Desk {
    pub ticket: String,
    pub cookie: String,
}

/// A phone inside WeChat, with its own cookie jar (one cookie: `esp_wx_phone`).
pub struct Phone {
    client: reqwest::Client,
    pub cookie: String,
}

pub fn phone() -> Phone {
    Phone {
        client: reqwest::Client::builder()
            .user_agent(PHONE_UA)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        cookie: String::new(),
    }
}

pub async fn json(res: reqwest::Response) -> Value {
    let status = res.status();
    let body = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Asks for a ticket (`cookie`: the desktop's cookies, `""` for a visitor).
pub async fn desk(app: &TestApp, cookie: &str, purpose: &str) -> Desk {
    let res = app
        .call_as(
            cookie,
            "start_wechat_scan",
            &[("purpose", purpose), ("lang", "zh-CN")],
        )
        .await;
    let browser = session_cookie(&res, "esp_wx_browser").expect("the browser's cookie");
    let v = json(res).await;
    let ticket = v["ticket"].as_str().unwrap().to_string();
    let scan_url = v["scan_url"].as_str().unwrap().to_string();
    assert!(
        scan_url.ends_with(&format!("/wx/scan/{ticket}")),
        "{scan_url}"
    );
    assert!(
        v["qr_svg"].as_str().unwrap().starts_with("<?xml")
            || v["qr_svg"].as_str().unwrap().contains("<svg")
    );
    let cookie = if cookie.is_empty() {
        browser
    } else if cookie.contains("esp_wx_browser=") {
        cookie.to_string()
    } else {
        format!("{cookie}; {browser}")
    };
    Desk { ticket, cookie }
}

pub async fn progress(app: &TestApp, d: &Desk) -> String {
    let v = json(
        app.call_as(&d.cookie, "wechat_scan_progress", &[("ticket", &d.ticket)])
            .await,
    )
    .await;
    v["state"].as_str().unwrap().to_string()
}

pub fn query(url: &str) -> HashMap<String, String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

impl Phone {
    /// Opens the phone page; returns the response.
    pub async fn open(&mut self, app: &TestApp, ticket: &str) -> reqwest::Response {
        let mut req = self.client.get(app.url(&format!("/wx/scan/{ticket}")));
        if !self.cookie.is_empty() {
            req = req.header("cookie", &self.cookie);
        }
        let res = req.send().await.unwrap();
        if let Some(c) = session_cookie(&res, "esp_wx_phone") {
            self.cookie = c;
        }
        res
    }

    /// Opens the page, which sends the phone into WeChat's authorisation: the URL.
    pub async fn authorize_url(&mut self, app: &TestApp, ticket: &str) -> String {
        let res = self.open(app, ticket).await;
        assert_eq!(res.status(), 303, "into WeChat's authorisation");
        res.headers()["location"].to_str().unwrap().to_string()
    }

    /// The WeChat user `user` decides on the simulator's page; returns WeChat's return URL.
    pub async fn wechat_decides(
        &self,
        app: &TestApp,
        authorize: &str,
        user: &str,
        allow: bool,
    ) -> String {
        sim_decides(&self.client, app, authorize, user, allow).await
    }

    /// Follows WeChat's return to the platform; returns where the platform sends the phone.
    pub async fn back(&self, return_url: &str) -> String {
        let res = self
            .client
            .get(return_url)
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            303,
            "{}",
            res.text().await.unwrap_or_default()
        );
        res.headers()["location"].to_str().unwrap().to_string()
    }

    /// The whole scan: open, authorise as `user`, come back. Returns the page's path.
    pub async fn scan(&mut self, app: &TestApp, ticket: &str, user: &str) -> String {
        let authorize = self.authorize_url(app, ticket).await;
        let back = self.wechat_decides(app, &authorize, user, true).await;
        self.back(&back).await
    }

    pub async fn view(&self, app: &TestApp, ticket: &str, problem: Option<&str>) -> Value {
        let mut form = vec![("ticket", ticket)];
        if let Some(p) = problem {
            form.push(("problem", p));
        }
        let res = self
            .client
            .post(app.url("/api/wechat_scan_view"))
            .header("accept", "application/json")
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap();
        json(res).await
    }

    pub async fn decide(&self, app: &TestApp, ticket: &str, decision: &str) -> reqwest::Response {
        self.client
            .post(app.url("/api/decide_wechat_scan"))
            .header("accept", "application/json")
            .header("cookie", &self.cookie)
            .form(&[("ticket", ticket), ("decision", decision)])
            .send()
            .await
            .unwrap()
    }
}

/// Starts binding for the login person of `cookie` (password [`APPLICANT_PW`]): the
/// password again, then the code the account page draws.
pub async fn bind_desk(app: &TestApp, cookie: &str) -> Desk {
    let res = app
        .call_as(
            cookie,
            "begin_wechat_bind",
            &[("password", APPLICANT_PW), ("lang", "zh-CN")],
        )
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let browser = session_cookie(&res, "esp_wx_browser").expect("the browser's cookie");
    let d = desk(app, &format!("{cookie}; {browser}"), "bind").await;
    // Drawn again, not a new one.
    assert_eq!(desk(app, &d.cookie, "bind").await.ticket, d.ticket);
    d
}

/// On the simulator's page for `authorize` (an authorisation or QR page URL), the WeChat user
/// `user` allows or refuses; returns where WeChat sends the browser back.
pub async fn sim_decides(
    client: &reqwest::Client,
    app: &TestApp,
    authorize: &str,
    user: &str,
    allow: bool,
) -> String {
    assert!(authorize.ends_with("#wechat_redirect"), "{authorize}");
    let q = query(authorize.split('#').next().unwrap());
    assert_eq!(q["response_type"], "code");
    let res = client
        .post(app.url("/wxsim/_sim/decide"))
        .form(&[
            ("appid", q["appid"].as_str()),
            ("redirect_uri", q["redirect_uri"].as_str()),
            ("scope", q["scope"].as_str()),
            ("state", q["state"].as_str()),
            ("user", user),
            ("decision", if allow { "allow" } else { "deny" }),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    res.headers()["location"].to_str().unwrap().to_string()
}

/// Binds WeChat user `wx_user` to the login person of `cookie` through the whole flow.
pub async fn bind(app: &TestApp, cookie: &str, wx_user: &str) {
    let d = bind_desk(app, cookie).await;
    let mut p = phone();
    let authorize = p.authorize_url(app, &d.ticket).await;
    assert_eq!(
        query(authorize.split('#').next().unwrap())["scope"],
        "snsapi_userinfo"
    );
    let page = p.scan(app, &d.ticket, wx_user).await;
    assert_eq!(page, format!("/wx/scan/{}", d.ticket));
    let v = p.view(app, &d.ticket, None).await;
    assert_eq!(v["step"], "decide", "{v}");
    assert_eq!(v["purpose"], "bind");
    let v = json(p.decide(app, &d.ticket, "confirm").await).await;
    assert_eq!(v["step"], "confirmed", "{v}");
    assert_eq!(progress(app, &d).await, "confirmed");
}

/// Scans a login ticket as `wx_user` up to the phone's decision; returns the desk and phone.
pub async fn scanned_login(app: &TestApp, wx_user: &str) -> (Desk, Phone) {
    let d = desk(app, "", "login").await;
    assert_eq!(progress(app, &d).await, "waiting");
    let mut p = phone();
    let authorize = p.authorize_url(app, &d.ticket).await;
    assert_eq!(
        query(authorize.split('#').next().unwrap())["scope"],
        "snsapi_base"
    );
    p.scan(app, &d.ticket, wx_user).await;
    (d, p)
}

pub async fn finish(app: &TestApp, d: &Desk) -> reqwest::Response {
    app.call_as(&d.cookie, "finish_wechat_login", &[("ticket", &d.ticket)])
        .await
}

//! The test app's side of registration by code (issue 14): the form, and the codes as the
//! outbox holds them (decrypted), so that tests need no mailbox or phone.

use crate::helpers::{json, TestApp};

impl TestApp {
    /// The registration form's first step (issue 14): the answer names where the code went.
    pub async fn start_registration(
        &self,
        name: &str,
        mobile: &str,
        email: &str,
        password: &str,
    ) -> serde_json::Value {
        let (privacy, terms) = self.current_policy_ids().await;
        let res = self
            .call(
                "register",
                &[
                    ("name", name),
                    ("mobile", mobile),
                    ("email", email),
                    ("password", password),
                    ("accept", "on"),
                    ("privacy_version_id", &privacy),
                    ("terms_version_id", &terms),
                ],
            )
            .await;
        assert!(
            res.status().is_success(),
            "register failed: {} {}",
            res.status(),
            res.text().await.unwrap_or_default()
        );
        json(res).await
    }

    /// The newest registration message to `to` (an e-mail address or a mobile number), as
    /// queued (decrypted from the outbox).
    pub async fn registration_mail(&self, to: &str) -> Option<String> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, recipient_enc, body_enc FROM outbox WHERE purpose = 'registration_code' \
             ORDER BY created_at DESC, id DESC",
        )
        .fetch_all(self.db.pool())
        .await
        .expect("the outbox");
        let cipher = &self.state.cipher;
        rows.into_iter().find_map(|(id, recipient, body)| {
            let recipient = cipher
                .decrypt_text(&recipient, &format!("outbox.recipient:{id}"))
                .ok()?;
            (recipient == to).then(|| {
                cipher
                    .decrypt_text(&body, &format!("outbox.body:{id}"))
                    .expect("a body")
            })
        })
    }

    /// The code in the newest registration message to `to` (address or number), if it holds
    /// one.
    pub async fn registration_code(&self, to: &str) -> Option<String> {
        let body = self.registration_mail(to).await?;
        let at = body.find("验证码为")? + "验证码为".len();
        Some(body[at..at + 6].to_string())
    }

    /// Takes a registration's e-mailed code and, when a texted one follows, that one too (both
    /// as the outbox holds them). Returns the last answer.
    pub async fn confirm_registration(
        &self,
        id: &str,
        email: &str,
        mobile: &str,
    ) -> reqwest::Response {
        let code = self
            .registration_code(email)
            .await
            .expect("a code e-mailed");
        let res = self
            .call("confirm_registration", &[("id", id), ("code", &code)])
            .await;
        if !res.status().is_success() || res.headers().get("set-cookie").is_some() {
            return res;
        }
        assert_eq!(json(res).await, "texted", "a text follows the e-mail");
        let sms = self.registration_code(mobile).await.expect("a code texted");
        self.call("confirm_registration", &[("id", id), ("code", &sms)])
            .await
    }
}

//! The test app's side of registration by code (issue 14): the form, and the code as the
//! outbox holds it (decrypted), so that tests need no mailbox.

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

    /// The newest registration e-mail to `email`, as queued (decrypted from the outbox).
    pub async fn registration_mail(&self, email: &str) -> Option<String> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, recipient_enc, body_enc FROM outbox WHERE purpose = 'registration_code' \
             ORDER BY created_at DESC, id DESC",
        )
        .fetch_all(self.db.pool())
        .await
        .expect("the outbox");
        let cipher = &self.state.cipher;
        rows.into_iter().find_map(|(id, to, body)| {
            let to = cipher
                .decrypt_text(&to, &format!("outbox.recipient:{id}"))
                .ok()?;
            (to == email).then(|| {
                cipher
                    .decrypt_text(&body, &format!("outbox.body:{id}"))
                    .expect("a body")
            })
        })
    }

    /// The code in the newest registration e-mail to `email`, if it holds one.
    pub async fn registration_code(&self, email: &str) -> Option<String> {
        let body = self.registration_mail(email).await?;
        let at = body.find("验证码为")? + "验证码为".len();
        Some(body[at..at + 6].to_string())
    }
}

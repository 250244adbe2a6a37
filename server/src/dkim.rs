//! DKIM's configuration (issue 19, P3.1.4): the signing domain, selector and key file, read
//! once at start. A module of its own: `config` holds the arguments and `outbound` reads them,
//! so neither imports the other.

use app::backend::delivery::smtp::DkimKey;

/// DKIM (RFC 6376): every e-mail signed for the sender's domain, so that the relay and the
/// receiving servers can check where it comes from and that it was not changed (P3.1.4). The
/// three go together; without them e-mail is sent unsigned.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct DkimArgs {
    /// The domain e-mail is signed for (`d=`): the sender's (`--mail-from`) or a parent of it.
    #[arg(long, env = "ESP_DKIM_DOMAIN")]
    pub dkim_domain: Option<String>,

    /// The selector (`s=`): the public key is published in DNS as a TXT record at
    /// `<selector>._domainkey.<domain>`.
    #[arg(long, env = "ESP_DKIM_SELECTOR")]
    pub dkim_selector: Option<String>,

    /// The file of the signing key: RSA in PKCS#1 PEM (`openssl genrsa -traditional -out
    /// dkim.pem 2048`), or Ed25519 as the base64 of its 32 bytes.
    #[arg(long, env = "ESP_DKIM_KEY_FILE")]
    pub dkim_key_file: Option<std::path::PathBuf>,
}

impl DkimArgs {
    /// The configured key, read from its file (`None`: not configured).
    pub fn key(&self) -> Result<Option<DkimKey>, String> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        match (
            given(&self.dkim_domain),
            given(&self.dkim_selector),
            &self.dkim_key_file,
        ) {
            (None, None, None) => Ok(None),
            (Some(domain), Some(selector), Some(file)) => {
                let key = std::fs::read_to_string(file)
                    .map_err(|e| format!("--dkim-key-file {}: {e}", file.display()))?;
                Ok(Some(DkimKey {
                    domain: domain.to_string(),
                    selector: selector.to_string(),
                    key,
                }))
            }
            _ => Err("--dkim-domain, --dkim-selector and --dkim-key-file go together".into()),
        }
    }
}

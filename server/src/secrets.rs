//! The session key and the field-encryption key. In development they are generated on first
//! start into `<data-dir>/secrets/` with mode 0600; in production they must be given.

use app::backend::crypto::SecretKey;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use crate::state::StartupError;

/// Loaded key material. Neither `Serialize` nor a revealing `Debug`.
#[derive(Debug)]
pub struct Secrets {
    pub session_key: SecretKey,
    pub field_key: SecretKey,
}

pub fn load(
    session_key: Option<&str>,
    field_key: Option<&str>,
    data_dir: &Path,
    production: bool,
) -> Result<Secrets, StartupError> {
    Ok(Secrets {
        session_key: one(
            "ESP_SESSION_KEY",
            "session.key",
            session_key,
            data_dir,
            production,
        )?,
        field_key: one(
            "ESP_FIELD_KEY",
            "field.key",
            field_key,
            data_dir,
            production,
        )?,
    })
}

fn one(
    var: &'static str,
    file: &str,
    given: Option<&str>,
    data_dir: &Path,
    production: bool,
) -> Result<SecretKey, StartupError> {
    if let Some(hex) = given {
        return SecretKey::from_hex(hex).map_err(|e| StartupError::Secret(format!("{var}: {e}")));
    }
    if production {
        return Err(StartupError::Secret(format!(
            "{var} is required in production mode (64 hex digits, e.g. from `openssl rand -hex 32`)"
        )));
    }
    let dir = data_dir.join("secrets");
    let path = dir.join(file);
    if path.exists() {
        let mode = fs::metadata(&path)
            .map_err(|e| io(&path, e))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(StartupError::Secret(format!(
                "{} is readable by others (mode {mode:o}); run chmod 600 on it",
                path.display()
            )));
        }
        let text = fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        return SecretKey::from_hex(&text)
            .map_err(|e| StartupError::Secret(format!("{}: {e}", path.display())));
    }
    fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(|e| io(&dir, e))?;
    let key = SecretKey::generate();
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| io(&path, e))?;
    f.write_all(key.to_hex().as_bytes())
        .map_err(|e| io(&path, e))?;
    tracing::info!(path = %path.display(), "generated a development key");
    Ok(key)
}

fn io(path: &Path, e: std::io::Error) -> StartupError {
    StartupError::Secret(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn development_keys_are_generated_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let first = load(None, None, dir.path(), false).unwrap();
        let again = load(None, None, dir.path(), false).unwrap();
        assert_eq!(first.session_key, again.session_key);
        assert_eq!(first.field_key, again.field_key);
        assert_ne!(first.session_key, first.field_key);
        let mode = fs::metadata(dir.path().join("secrets/field.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn production_requires_both_keys() {
        let dir = tempfile::tempdir().unwrap();
        let err = load(None, None, dir.path(), true).unwrap_err().to_string();
        assert!(
            err.contains("ESP_SESSION_KEY is required in production"),
            "{err}"
        );
        assert!(
            !dir.path().join("secrets").exists(),
            "nothing is generated in production"
        );
        let k = SecretKey::generate().to_hex();
        let err = load(Some(&k), None, dir.path(), true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ESP_FIELD_KEY"), "{err}");
        assert!(load(Some(&k), Some(&k), dir.path(), true).is_ok());
        let err = load(Some("nothex"), Some(&k), dir.path(), true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not hexadecimal"), "{err}");
    }

    #[test]
    fn keys_readable_by_others_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        load(None, None, dir.path(), false).unwrap();
        let p = dir.path().join("secrets/session.key");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        let err = load(None, None, dir.path(), false).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }
}

//! Stored files (uploads) behind a storage interface. The local store keeps them in the data
//! directory; an S3-compatible store can implement [`FileStore`] later. Every file is
//! encrypted with the field key before it reaches the store (bound to its id), so a copied
//! directory or bucket reveals nothing.

pub mod pdf;
pub mod pdf_helper;
pub mod png;
pub mod sealed_stream;
pub mod strip;

use std::io;
use std::path::PathBuf;

/// Where file bytes live. Keys are random ids chosen by the platform, never user input.
pub trait FileStore: Send + Sync + 'static {
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()>;
    fn get(&self, key: &str) -> io::Result<Vec<u8>>;
    fn delete(&self, key: &str) -> io::Result<()>;
}

/// Files under `<data dir>/files/<2 hex>/<key>`, written atomically (temp file + rename).
#[derive(Debug)]
pub struct LocalFileStore {
    root: PathBuf,
}

impl LocalFileStore {
    pub fn new(root: PathBuf) -> io::Result<Self> {
        std::fs::create_dir_all(&root)?;
        Ok(LocalFileStore { root })
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        if key.len() < 8 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "bad storage key",
            ));
        }
        Ok(self.root.join(&key[..2]).join(key))
    }
}

impl FileStore for LocalFileStore {
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("part");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    }

    fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.path(key)?)
    }

    fn delete(&self, key: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

/// The bytes of stored file `key`, opened with the field key bound to `file:<id>` (the id the
/// file was sealed under: its key, or an application file's row id). `None` when the store no
/// longer has it (removed since its row was read).
pub async fn open_sealed(
    state: &super::AppState,
    key: &str,
    id: &str,
) -> crate::error::AppResult<Option<Vec<u8>>> {
    use crate::error::AppError;
    let (store, k) = (state.files.clone(), key.to_string());
    let sealed = match tokio::task::spawn_blocking(move || store.get(&k))
        .await
        .map_err(AppError::internal)?
    {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(AppError::internal(e)),
    };
    state
        .cipher
        .decrypt(&sealed, format!("file:{id}").as_bytes())
        .map(Some)
        .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_store_round_trips_and_refuses_odd_keys() {
        let dir = tempdir();
        let store = LocalFileStore::new(dir.clone()).unwrap();
        store.put("abcdef0123456789", b"bytes").unwrap();
        assert_eq!(store.get("abcdef0123456789").unwrap(), b"bytes");
        store.delete("abcdef0123456789").unwrap();
        assert!(store.get("abcdef0123456789").is_err());
        store.delete("abcdef0123456789").unwrap();
        assert!(store.put("../../etc/passwd", b"x").is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempdir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("esp-files-{}", crate::backend::ids::new_id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

//! Uploaded PDFs are rewritten in a child process with limits (issue 14, hardening).
//!
//! The PDF parser recurses without a depth limit (nested arrays and dictionaries, `/Length`
//! references followed from object to object), inflates compressed streams without a size
//! limit, and walks the object graph in time that grows with the square of the number of
//! objects. No scan of the raw file can predict all of that, so the parsing is not done in the
//! server at all: the server's own executable is started as `server strip-pdf`, which limits
//! itself to [`MEMORY_BYTES`] of heap and [`CPU_SECONDS`] of CPU before it reads the
//! file from its standard input and writes the stripped file to its standard output. A crafted
//! file can make that process overflow its stack, run out of memory or time out; the server
//! then answers `file_damaged` and goes on.

use crate::error::Rule;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The helper's heap (`RLIMIT_DATA`; the parser needs about ten times the file).
pub const MEMORY_BYTES: u64 = 512 << 20;
/// The helper's CPU time.
pub const CPU_SECONDS: u64 = 10;
/// How long the server waits for the helper (CPU time is not all: it may wait for a core).
pub const WALL: Duration = Duration::from_secs(30);
/// The largest output taken (a rewritten file may be larger than its upload: object streams
/// are written out uncompressed).
pub const MAX_OUTPUT: u64 = 64 << 20;

/// The subcommand's exit codes besides success.
pub const EXIT_DAMAGED: i32 = 3;
pub const EXIT_ENCRYPTED: i32 = 4;

/// Where the helper is: the server's own executable (`server strip-pdf`).
#[derive(Clone, Debug)]
pub struct PdfHelper {
    pub exe: PathBuf,
}

impl PdfHelper {
    /// The PDF without its metadata, or the rule the upload broke. `Err(io)` only when the
    /// helper cannot be started at all (a fault of the installation, not of the file).
    pub async fn strip(&self, input: Vec<u8>) -> std::io::Result<Result<Vec<u8>, Rule>> {
        let mut child = tokio::process::Command::new(&self.exe)
            .arg("strip-pdf")
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(std::io::Error::other("the helper's pipes are missing"));
        };
        let run = async move {
            // A helper that dies early closes its input: the write error is its exit status.
            let write = async move {
                let _ = stdin.write_all(&input).await;
            };
            let mut out = Vec::new();
            let mut limited = stdout.take(MAX_OUTPUT + 1);
            let read = limited.read_to_end(&mut out);
            let (_, read) = tokio::join!(write, read);
            read?;
            // Past `MAX_OUTPUT` the helper would block on a full pipe until the wall limit:
            // closing our end makes its next write fail, and it exits at once.
            drop(limited);
            let status = child.wait().await?;
            Ok::<_, std::io::Error>((status, out))
        };
        let Ok(done) = tokio::time::timeout(WALL, run).await else {
            tracing::warn!("PDF helper timed out: refused as damaged");
            return Ok(Err(Rule::FileDamaged));
        };
        let (status, out) = done?;
        Ok(match status.code() {
            Some(0) if out.len() as u64 <= MAX_OUTPUT => Ok(out),
            Some(EXIT_ENCRYPTED) => Err(Rule::PdfEncrypted),
            Some(EXIT_DAMAGED) => Err(Rule::FileDamaged),
            _ => {
                tracing::warn!(
                    ?status,
                    "PDF helper failed (limits or a crash): refused as damaged"
                );
                Err(Rule::FileDamaged)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in helper: a script named `name` that runs `body` (the real one is `server
    /// strip-pdf`, tested in `server/tests/api/pdf_uploads.rs`).
    fn script(name: &str, body: &str) -> PdfHelper {
        let dir = std::env::temp_dir().join(format!("pdf-helper-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let exe = dir.join(name);
        std::fs::write(&exe, format!("#!/bin/sh\n{body}\n")).expect("script written");
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        PdfHelper { exe }
    }

    /// P1.1.1, issue 14: a helper that writes more than `MAX_OUTPUT` is refused at once, not
    /// after the wall limit; its exit codes map to the upload's rules.
    #[tokio::test]
    async fn p1_1_1_helper_output_and_exit_codes() {
        let flood = script(
            "flood",
            &format!("/usr/bin/head -c {} /dev/zero", MAX_OUTPUT + (1 << 20)),
        );
        let started = std::time::Instant::now();
        assert_eq!(
            flood.strip(b"%PDF".to_vec()).await.expect("ran"),
            Err(Rule::FileDamaged)
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        let encrypted = script("encrypted", &format!("exit {EXIT_ENCRYPTED}"));
        assert_eq!(
            encrypted.strip(b"%PDF".to_vec()).await.expect("ran"),
            Err(Rule::PdfEncrypted)
        );
        let echo = script("echo", "/bin/cat");
        assert_eq!(
            echo.strip(b"%PDF-1.7 x".to_vec()).await.expect("ran"),
            Ok(b"%PDF-1.7 x".to_vec())
        );
        let _ = std::fs::remove_dir_all(flood.exe.parent().expect("its directory"));
    }
}

//! Large files encrypted as a stream (issue 16 §3: a copy of one's data waits encrypted at rest,
//! written and read in constant memory). The plaintext is cut into 64 KiB chunks, each sealed
//! with the field key (AES-256-GCM, [`FieldCipher`]) and bound to the file, its position and
//! whether it is the last, so chunks cannot be reordered, moved to another file, or cut off at
//! the end unnoticed.
//!
//! A frame is `[last: 0 or 1][length: u32 big-endian][sealed chunk]`; the associated data is
//! `"{context}:{n}:{last}"`.

use super::super::crypto::FieldCipher;
use std::io::{self, Write};
use std::sync::Arc;

/// Plaintext bytes per frame.
pub const CHUNK: usize = 64 * 1024;
/// The largest sealed frame (a chunk, the format's 2 bytes, the nonce and the tag).
pub const MAX_FRAME: usize = CHUNK + 2 + 12 + 16;
/// The frame header's length.
pub const HEADER: usize = 5;

fn aad(context: &str, n: u64, last: bool) -> Vec<u8> {
    format!("{context}:{n}:{}", u8::from(last)).into_bytes()
}

/// Writes sealed frames to `inner`; [`SealWriter::finish`] writes the last one.
pub struct SealWriter<W: Write> {
    inner: W,
    cipher: Arc<FieldCipher>,
    context: String,
    buf: Vec<u8>,
    n: u64,
    /// Plaintext bytes written.
    pub written: u64,
}

impl<W: Write> SealWriter<W> {
    pub fn new(inner: W, cipher: Arc<FieldCipher>, context: &str) -> Self {
        SealWriter {
            inner,
            cipher,
            context: context.to_string(),
            buf: Vec::with_capacity(CHUNK),
            n: 0,
            written: 0,
        }
    }

    fn frame(&mut self, last: bool) -> io::Result<()> {
        let sealed = self
            .cipher
            .encrypt(&self.buf, &aad(&self.context, self.n, last));
        let len = u32::try_from(sealed.len()).map_err(io::Error::other)?;
        self.inner.write_all(&[u8::from(last)])?;
        self.inner.write_all(&len.to_be_bytes())?;
        self.inner.write_all(&sealed)?;
        self.n += 1;
        self.buf.clear();
        Ok(())
    }

    /// Writes what is left as the last frame and hands back the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.frame(true)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.buf.len();
        let take = room.min(data.len());
        self.buf.extend_from_slice(&data[..take]);
        self.written += take as u64;
        if self.buf.len() == CHUNK {
            self.frame(false)?;
        }
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Frames are whole chunks; only `finish` writes a short one.
        self.inner.flush()
    }
}

/// Opens frames in order, as they are read.
pub struct FrameOpener {
    cipher: Arc<FieldCipher>,
    context: String,
    n: u64,
    /// Whether the last frame was opened (a stream that ends before it was cut off).
    pub done: bool,
}

impl FrameOpener {
    pub fn new(cipher: Arc<FieldCipher>, context: &str) -> Self {
        FrameOpener {
            cipher,
            context: context.to_string(),
            n: 0,
            done: false,
        }
    }

    /// The frame's flag and sealed length from its header, or an error for a malformed one.
    pub fn header(&self, h: &[u8; HEADER]) -> io::Result<(bool, usize)> {
        let len = u32::from_be_bytes([h[1], h[2], h[3], h[4]]) as usize;
        if h[0] > 1 || len > MAX_FRAME || self.done {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "malformed frame",
            ));
        }
        Ok((h[0] == 1, len))
    }

    /// The plaintext of the next frame.
    pub fn open(&mut self, last: bool, sealed: &[u8]) -> io::Result<Vec<u8>> {
        let plain = self
            .cipher
            .decrypt(sealed, &aad(&self.context, self.n, last))
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "tampered frame"))?;
        self.n += 1;
        self.done = last;
        Ok(plain)
    }
}

/// Reads and opens the next frame from `reader`: `None` after the last one (a byte after it is
/// an error, as is a stream cut off before it).
pub async fn next_frame<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut R,
    opener: &mut FrameOpener,
) -> io::Result<Option<Vec<u8>>> {
    use tokio::io::AsyncReadExt;
    if opener.done {
        let mut extra = [0u8; 1];
        return match reader.read(&mut extra).await? {
            0 => Ok(None),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "bytes after the end",
            )),
        };
    }
    let mut h = [0u8; HEADER];
    reader.read_exact(&mut h).await?;
    let (last, len) = opener.header(&h)?;
    let mut sealed = vec![0u8; len];
    reader.read_exact(&mut sealed).await?;
    opener.open(last, &sealed).map(Some)
}

/// Reads a whole sealed stream (tests and small files).
pub fn open_all(cipher: Arc<FieldCipher>, context: &str, mut data: &[u8]) -> io::Result<Vec<u8>> {
    let mut opener = FrameOpener::new(cipher, context);
    let mut out = Vec::new();
    while !opener.done {
        let bad = || io::Error::new(io::ErrorKind::UnexpectedEof, "cut off");
        let h: [u8; HEADER] = data
            .get(..HEADER)
            .ok_or_else(bad)?
            .try_into()
            .map_err(|_| bad())?;
        let (last, len) = opener.header(&h)?;
        let sealed = data.get(HEADER..HEADER + len).ok_or_else(bad)?;
        out.extend_from_slice(&opener.open(last, sealed)?);
        data = &data[HEADER + len..];
    }
    if !data.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "bytes after the end",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::crypto::SecretKey;

    fn cipher() -> Arc<FieldCipher> {
        Arc::new(FieldCipher::new(1, &SecretKey::generate()))
    }

    fn seal(c: &Arc<FieldCipher>, ctx: &str, data: &[u8]) -> Vec<u8> {
        let mut w = SealWriter::new(Vec::new(), c.clone(), ctx);
        // Odd pieces, as a ZIP writer hands them over.
        for piece in data.chunks(1000 + 7) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn p6_1_a_sealed_stream_round_trips_at_any_length() {
        let c = cipher();
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let sealed = seal(&c, "export:x", &data);
            assert_eq!(
                open_all(c.clone(), "export:x", &sealed).unwrap(),
                data,
                "{len}"
            );
            // Nothing of the plaintext shows.
            if len > 64 {
                assert!(!sealed.windows(32).any(|w| w == &data[32..64]));
            }
        }
    }

    #[test]
    fn p6_1_a_sealed_stream_refuses_truncation_reordering_and_another_files_context() {
        let c = cipher();
        let data = vec![7u8; 2 * CHUNK + 5];
        let sealed = seal(&c, "export:a", &data);
        // Another file's context.
        assert!(open_all(c.clone(), "export:b", &sealed).is_err());
        // Cut after the first frame (which is not the last).
        let first = HEADER + u32::from_be_bytes(sealed[1..5].try_into().unwrap()) as usize;
        assert!(open_all(c.clone(), "export:a", &sealed[..first]).is_err());
        // The first frame relabelled as the last.
        let mut relabelled = sealed[..first].to_vec();
        relabelled[0] = 1;
        assert!(open_all(c.clone(), "export:a", &relabelled).is_err());
        // Frames swapped.
        let second_len = u32::from_be_bytes(sealed[first + 1..first + 5].try_into().unwrap());
        let second = first + HEADER + second_len as usize;
        let mut swapped = sealed[first..second].to_vec();
        swapped.extend_from_slice(&sealed[..first]);
        swapped.extend_from_slice(&sealed[second..]);
        assert!(open_all(c.clone(), "export:a", &swapped).is_err());
        // A flipped byte.
        let mut flipped = sealed.clone();
        flipped[first + 40] ^= 1;
        assert!(open_all(c, "export:a", &flipped).is_err());
    }
}

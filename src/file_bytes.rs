//! [`FileBytes`]: the bytes of one output file, shared between builds and the server, and
//! optionally kept compressed.
//!
//! `serve` holds the whole built site in memory (about 220 MB at 10,000 pages); pages compress
//! about threefold with zstd's fastest level, and unpacking a page per request costs
//! microseconds. `majors build` writes pages as they are rendered and never packs them.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// zstd's fastest level: packing must not slow down the first build of `serve` noticeably.
const LEVEL: i32 = 1;

/// Files smaller than this are kept as they are (packing gains little and costs a call).
const MIN_PACKED: usize = 512;

/// Bytes of one output file: cheap to clone, equal when their contents are equal.
#[derive(Clone)]
pub struct FileBytes(Arc<Repr>);

enum Repr {
    Plain(Vec<u8>),
    Packed { len: usize, data: Box<[u8]> },
}

impl FileBytes {
    /// Keeps `bytes` as they are.
    pub fn plain(bytes: Vec<u8>) -> Self {
        FileBytes(Arc::new(Repr::Plain(bytes)))
    }

    /// Keeps `bytes` compressed (as they are when small, or when packing fails or gains
    /// nothing).
    pub fn packed(bytes: Vec<u8>) -> Self {
        if bytes.len() < MIN_PACKED {
            return Self::plain(bytes);
        }
        // One compression context per thread: making one costs more than packing a page.
        thread_local! {
            static PACKER: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
                std::cell::RefCell::new(zstd::bulk::Compressor::new(LEVEL).ok());
        }
        let packed = PACKER.with(|p| match p.borrow_mut().as_mut() {
            Some(c) => c.compress(&bytes),
            None => zstd::bulk::compress(&bytes, LEVEL),
        });
        match packed {
            Ok(data) if data.len() < bytes.len() => FileBytes(Arc::new(Repr::Packed {
                len: bytes.len(),
                data: data.into_boxed_slice(),
            })),
            _ => Self::plain(bytes),
        }
    }

    /// Plain or packed, as asked.
    pub fn new(bytes: Vec<u8>, pack: bool) -> Self {
        if pack {
            Self::packed(bytes)
        } else {
            Self::plain(bytes)
        }
    }

    /// The contents (unpacked when needed).
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match &*self.0 {
            Repr::Plain(b) => Cow::Borrowed(b),
            Repr::Packed { len, data } => match unpack(data, *len) {
                Ok(b) => Cow::Owned(b),
                // Packed by this process from bytes that were there: unpacking cannot fail
                // short of memory corruption.
                Err(e) => panic!("invariant: packed output unpacks ({e})"),
            },
        }
    }

    /// The contents as an owned buffer: no copy when they are plain and not shared.
    pub fn into_vec(self) -> Vec<u8> {
        match Arc::try_unwrap(self.0) {
            Ok(Repr::Plain(b)) => b,
            Ok(packed) => FileBytes(Arc::new(packed)).bytes().into_owned(),
            Err(shared) => FileBytes(shared).bytes().into_owned(),
        }
    }

    /// Length of the contents.
    pub fn len(&self) -> usize {
        match &*self.0 {
            Repr::Plain(b) => b.len(),
            Repr::Packed { len, .. } => *len,
        }
    }

    /// True when the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held in memory for this file.
    pub fn stored_len(&self) -> usize {
        match &*self.0 {
            Repr::Plain(b) => b.len(),
            Repr::Packed { data, .. } => data.len(),
        }
    }
}

/// Unpacks with one decompression context per thread.
fn unpack(data: &[u8], len: usize) -> std::io::Result<Vec<u8>> {
    thread_local! {
        static UNPACKER: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
            std::cell::RefCell::new(zstd::bulk::Decompressor::new().ok());
    }
    UNPACKER.with(|u| match u.borrow_mut().as_mut() {
        Some(d) => d.decompress(data, len),
        None => zstd::bulk::decompress(data, len),
    })
}

impl PartialEq for FileBytes {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.len() == other.len() && self.bytes() == other.bytes())
    }
}

impl Eq for FileBytes {}

impl fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            Repr::Plain(b) => write!(f, "FileBytes({} bytes)", b.len()),
            Repr::Packed { len, data } => {
                write!(f, "FileBytes({len} bytes, {} packed)", data.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_bytes_unpack_to_the_original_and_compare_equal_to_plain() {
        let page = "<p>The Majors List names the major drug-transit countries.</p>\n".repeat(40);
        let packed = FileBytes::packed(page.clone().into_bytes());
        let plain = FileBytes::plain(page.clone().into_bytes());
        assert!(packed.stored_len() < page.len() / 4, "{packed:?}");
        assert_eq!(packed.len(), page.len());
        assert_eq!(&*packed.bytes(), page.as_bytes());
        assert_eq!(packed, plain);
        assert_eq!(packed.clone().into_vec(), page.as_bytes());
        assert_eq!(plain.into_vec(), page.as_bytes());
        assert_ne!(packed, FileBytes::plain(b"other".to_vec()));
    }

    #[test]
    fn small_or_incompressible_files_stay_plain() {
        let small = FileBytes::packed(b"tiny".to_vec());
        assert_eq!(small.stored_len(), 4);
        // A pseudo-random sequence does not compress.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        let stored = FileBytes::packed(noise.clone());
        assert_eq!(stored.stored_len(), noise.len());
        assert_eq!(&*stored.bytes(), &noise[..]);
    }
}

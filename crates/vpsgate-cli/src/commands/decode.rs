//! `vpsgate decode`: PHP `serialize()` data (or JSON) in, JSON out.
//!
//! Format detection (`--from auto`, the default): after leading ASCII whitespace, input that
//! starts with a PHP type tag followed by `:` (`a: i: s: S: d: b: O: C: E: r: R:`) or with `N;`
//! is PHP; anything else is JSON. No JSON document starts that way (JSON's own letters start
//! `true`, `false`, `null`), so the rule never misreads valid input of either format.
//!
//! Decoding is `vpsgate::decode::to_json_bytes`, shared with the C library and the npm package.
//! PHP input goes through `vpsgate::php::to_json_bytes` (no value tree in the common case),
//! which writes exactly what `vpsgate::php::to_json` prints for the parsed value (the
//! shape of PHP's `json_encode(unserialize(...))` with `JSON_UNESCAPED_UNICODE`,
//! `JSON_UNESCAPED_SLASHES` and `JSON_PRESERVE_ZERO_FRACTION`; the codec documents the rules).
//! Trailing ASCII whitespace (the newline of `echo`) is ignored; leading whitespace is an error,
//! as in PHP, and every byte offset counts from the first byte of the input. JSON input is
//! validated by `serde_json` and printed compactly: whitespace between tokens removed, key
//! order and the spelling of numbers and strings kept.
//!
//! Output is streamed (`vpsgate::decode::write_json`): memory stays within the input, at most
//! as much held output (past that the input is checked in full, then written through a 64 KiB
//! buffer) and a small constant. stdout gets the complete line or, when the input is
//! malformed, nothing: every decoding error is found before the first byte is written. Only a
//! failing stdout (other than a closed pipe, which is not an error) can leave a partial line,
//! and then the command exits non-zero.

use std::io::{Read, Write};
use std::path::PathBuf;

use vpsgate::decode::{Source, WriteError};

use crate::exit::Failure;

/// Which decoder to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum From {
    /// PHP `serialize()` output.
    Php,
    /// JSON.
    Json,
    /// Decide from the first bytes (see `vpsgate decode --help`).
    Auto,
}

/// `vpsgate decode`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Decode PHP serialize() data (or JSON) and print it as one line of JSON.\n\n\
    --from auto (the default): after leading whitespace, input starting with a PHP type tag and \
    a colon (a: i: s: S: d: b: O: C: E: r: R:) or with N; is PHP, anything else JSON.\n\
    PHP output has the shape of PHP's json_encode(unserialize(...)) with JSON_UNESCAPED_UNICODE, \
    JSON_UNESCAPED_SLASHES and JSON_PRESERVE_ZERO_FRACTION; trailing whitespace of the input is \
    ignored. Malformed input exits non-zero with one line naming the byte offset."
)]
pub struct Args {
    /// Input format.
    #[arg(long, value_enum, default_value_t = From::Auto)]
    pub from: From,

    /// Largest input accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_size: u64,

    /// The input file; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Read at most `limit` bytes (`size_hint`: the expected size, to allocate once); more is
/// [`vpsgate::Error::PayloadTooLarge`].
fn read_bounded(
    reader: impl Read,
    limit: u64,
    size_hint: u64,
    what: &str,
) -> Result<Vec<u8>, Failure> {
    let cap = usize::try_from(size_hint.min(limit).saturating_add(1)).unwrap_or(0);
    let mut buf = Vec::with_capacity(cap);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| Failure::io(what, &e))?;
    if buf.len() as u64 > limit {
        return Err(vpsgate::Error::PayloadTooLarge {
            size: buf.len(),
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
        }
        .into());
    }
    Ok(buf)
}

/// Run `vpsgate decode`.
pub fn run(args: Args) -> Result<(), Failure> {
    let input = match args.file.as_deref() {
        None => read_bounded(std::io::stdin().lock(), args.max_size, 0, "reading stdin")?,
        Some(p) if p.as_os_str() == "-" => {
            read_bounded(std::io::stdin().lock(), args.max_size, 0, "reading stdin")?
        }
        Some(p) => {
            let what = format!("reading {}", p.display());
            let file = std::fs::File::open(p).map_err(|e| Failure::io(&what, &e))?;
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            read_bounded(file, args.max_size, size, &what)?
        }
    };
    let source = match args.from {
        From::Php => Source::Php,
        From::Json => Source::Json,
        From::Auto => Source::Auto,
    };
    // Streamed onto stdout (`vpsgate::decode::write_json`): stdout gets the whole JSON line or,
    // for malformed input, nothing (the error is known before the first byte is written).
    let mut stdout = stdout();
    let written = vpsgate::decode::write_json(&input, source, &mut stdout).and_then(|()| {
        stdout
            .write_all(b"\n")
            .and_then(|()| stdout.flush())
            .map_err(WriteError::Io)
    });
    match written {
        Ok(()) => Ok(()),
        Err(WriteError::Decode(e)) => Err(e.into()),
        // A closed pipe (`vpsgate decode ... | head`) is not an error.
        Err(WriteError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(WriteError::Io(e)) => Err(Failure::io("writing to stdout", &e)),
        Err(other) => Err(Failure::local(other.to_string())),
    }
}

/// stdout for one long line. Rust's `Stdout` is line-buffered: every write is scanned for its
/// last newline (`memrchr` over the whole 15 MB of a 20 MB answer's JSON, 3 % of the command's
/// time) and copied on; `write_json` holds or buffers its output itself, so on Unix it writes
/// straight to a duplicate of descriptor 1. Elsewhere, or when that cannot be had, `Stdout`.
fn stdout() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout().lock())
}

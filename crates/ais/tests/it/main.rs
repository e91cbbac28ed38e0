//! Integration tests for `ais`: real feeds, the generated corpus, and
//! property tests. One binary (see STYLE.md §6).

mod props;
mod samples;

use std::path::PathBuf;

/// A file under the repository's `data/ais/`.
pub(crate) fn data(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/ais")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Decodes `input` in chunks of the given sizes (cycled) and returns every
/// event rendered as a line: JSON for messages, the error otherwise.
pub(crate) fn decode_chunked(input: &[u8], sizes: &[usize]) -> (Vec<String>, ais::Stats) {
    let mut dec = ais::Decoder::new();
    let mut out = Vec::new();
    let mut rest = input;
    let mut k = 0;
    while !rest.is_empty() {
        let n = sizes[k % sizes.len()].clamp(1, rest.len());
        k += 1;
        let mut chunk = &rest[..n];
        rest = &rest[n..];
        loop {
            let (used, ev) = dec.handle_bytes(chunk, 0);
            chunk = &chunk[used..];
            match ev {
                Some(ev) => out.push(render(ev)),
                None => break,
            }
        }
    }
    while let Some(ev) = dec.handle_end(0) {
        out.push(render(ev));
    }
    (out, dec.stats().clone())
}

pub(crate) fn render(ev: Result<ais::Decoded<'_>, ais::Error>) -> String {
    match ev {
        Ok((meta, m)) => {
            let mut v = Vec::new();
            ais::output::write_json_with_meta(&m, &meta, &mut v).unwrap();
            String::from_utf8(v).unwrap()
        }
        Err(e) => format!("error {e}"),
    }
}

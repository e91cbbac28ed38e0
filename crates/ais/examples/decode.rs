//! Prints one gpsd-style JSON object per decoded message of a file (or
//! standard input), as `easf ais decode --json` will; errors and counts go
//! to standard error.
//!
//! `cargo run -p ais --example decode -- data/ais/dma-stream-example.nmea`
//!
//! With `--per-line` it prints exactly one line per input line instead: the
//! message completed by that line, `{"error":"kind"}`, or `null`; the
//! conformance script uses this to line our output up with pyais's.

use std::io::{self, Read, Write};

fn main() -> io::Result<()> {
    let mut args: Vec<_> = std::env::args_os().skip(1).collect();
    let per_line = args.iter().any(|a| a == "--per-line");
    args.retain(|a| a != "--per-line");
    let mut input = Vec::new();
    match args.first() {
        Some(path) => input = std::fs::read(path)?,
        None => {
            io::stdin().read_to_end(&mut input)?;
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if per_line {
        let mut dec = ais::LineDecoder::default();
        for line in input.split(|&b| b == b'\n') {
            match dec.handle_line(line, 0) {
                Ok(true) => match dec.poll_message() {
                    Some(Ok((meta, msg))) => {
                        ais::output::write_json_with_meta(&msg, &meta, &mut out)?
                    }
                    Some(Err(e)) => write!(out, "{{\"error\":\"{}\"}}", e.kind())?,
                    None => out.write_all(b"null")?,
                },
                Ok(false) => out.write_all(b"null")?,
                Err(e) => write!(out, "{{\"error\":\"{}\"}}", e.kind())?,
            }
            out.write_all(b"\n")?;
        }
        return out.flush();
    }
    let mut dec = ais::Decoder::new();
    let mut result = Ok(());
    dec.decode_all(&input, 0, |ev| {
        if let Ok((_meta, msg)) = ev
            && result.is_ok()
        {
            result = ais::output::write_json(&msg, &mut out).and_then(|()| out.write_all(b"\n"));
        }
    });
    result?;
    out.flush()?;
    let s = dec.stats();
    eprintln!(
        "lines {} sentences {} messages {} errors {}",
        s.lines,
        s.sentences,
        s.messages(),
        s.total_errors()
    );
    for k in ais::ErrorKind::ALL {
        if s.errors_of(k) > 0 {
            eprintln!("  {}: {}", k, s.errors_of(k));
        }
    }
    Ok(())
}

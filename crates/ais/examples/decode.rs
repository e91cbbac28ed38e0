//! Prints one gpsd-style JSON object per decoded message of a file (or
//! standard input), as `easf ais decode --json` will; errors and counts go
//! to standard error.
//!
//! `cargo run -p ais --example decode -- data/ais/dma-stream-example.nmea`

use std::io::{self, Read, Write};

fn main() -> io::Result<()> {
    let mut input = Vec::new();
    match std::env::args_os().nth(1) {
        Some(path) => input = std::fs::read(path)?,
        None => {
            io::stdin().read_to_end(&mut input)?;
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut dec = ais::Decoder::new();
    let mut result = Ok(());
    dec.decode_all(&input, 0, |ev| {
        if let Ok((_meta, msg)) = ev {
            if result.is_ok() {
                result = ais::output::write_json(&msg, &mut out).and_then(|()| out.write_all(b"\n"));
            }
        }
    });
    result?;
    out.flush()?;
    let s = dec.stats();
    eprintln!("lines {} sentences {} messages {} errors {}", s.lines, s.sentences, s.messages(), s.total_errors());
    for k in ais::ErrorKind::ALL {
        if s.errors_of(k) > 0 {
            eprintln!("  {}: {}", k, s.errors_of(k));
        }
    }
    Ok(())
}

//! Writes the synthetic conformance corpus (every message type 1–27) to
//! standard output: `cargo run -p ais --example generate > data/ais/generated-all-types.nmea`.

fn main() {
    for line in ais::encode::corpus() {
        println!("{line}");
    }
}

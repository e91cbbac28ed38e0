//! Arbitrary chunking of a stream gives the same events and counts as the
//! whole buffer at once. The first bytes choose the chunk sizes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn run(input: &[u8], sizes: &[u8]) -> (Vec<String>, ais::Stats) {
    let mut dec = ais::Decoder::new();
    let mut events = Vec::new();
    let mut rest = input;
    let mut k = 0;
    while !rest.is_empty() {
        let n = if sizes.is_empty() {
            rest.len()
        } else {
            usize::from(sizes[k % sizes.len()]).clamp(1, rest.len())
        };
        k += 1;
        let mut chunk = &rest[..n];
        rest = &rest[n..];
        // A fixed time: chunk boundaries differ between the runs, so a
        // clock advanced per chunk would legitimately change time-outs.
        let now = 0;
        loop {
            let (used, ev) = dec.handle_bytes(chunk, now);
            chunk = &chunk[used..];
            match ev {
                Some(ev) => events.push(format!("{ev:?}")),
                None => break,
            }
        }
    }
    while let Some(ev) = dec.handle_end(0) {
        events.push(format!("{ev:?}"));
    }
    (events, dec.stats().clone())
}

fuzz_target!(|data: &[u8]| {
    let (head, input) = data.split_at(data.len().min(4));
    let whole = run(input, &[]);
    let chunked = run(input, head);
    assert_eq!(whole, chunked);
});

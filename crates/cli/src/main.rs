//! `easf`: run an EASF node and ask it questions.
//!
//! This is the only crate that prints. Commands read the node's database
//! directly (`--data-dir` or `--database`), so they work with or without a
//! running server. Exit status: 0 success, 1 failure (the message names
//! the problem), 2 bad command-line usage.

mod args;
mod commands;
mod node;
mod op_args;
mod output;
mod record_args;

use std::process::ExitCode;

use clap::Parser;

// glibc's allocator spent a fifth of an import's CPU on buffers allocated on
// the sealing threads and freed on the writer's; mimalloc's per-thread heaps
// do not contend (docs/PERFORMANCE.md, sharing).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

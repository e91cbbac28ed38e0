//! One module per command group; `run` dispatches.

mod admin;
mod alerts;
mod maritime;
mod operations;
pub(crate) mod records;
mod reference;
mod serve;

use crate::args::{Cli, Command};

pub(crate) async fn run(cli: Cli) -> anyhow::Result<()> {
    let node = cli.node;
    match cli.command {
        Command::Demo { data_dir, port } => serve::demo(&data_dir, port).await,
        Command::Serve(args) => serve::serve(&node, args).await,
        Command::Db(cmd) => admin::db(&node, cmd).await,
        Command::Refdata(cmd) => admin::refdata(&node, cmd).await,
        Command::User(cmd) => admin::user(&node, cmd).await,
        Command::Token(cmd) => admin::token(&node, cmd).await,
        Command::Audit(cmd) => admin::audit(&node, cmd).await,
        Command::Forum(cmd) => reference::forum(&node, cmd).await,
        Command::Member(cmd) => reference::member(&node, cmd).await,
        Command::Ais(cmd) => maritime::ais(cmd),
        Command::Mda(cmd) => maritime::mda(&node, cmd),
        Command::Op(cmd) => operations::op(&node, cmd).await,
        Command::Pledge(cmd) => operations::pledge(&node, cmd).await,
        Command::Report(cmd) => records::report(&node, cmd).await,
        Command::Group(cmd) => records::group(&node, cmd).await,
        Command::Verify(args) => records::verify(&node, args).await,
    }
}

//! Prints the plan of a shipped scenario as JSON:
//! `cargo run -p ops --example plan_scenario -- nargis-2008 inclusive`.

use ops::{Catalogue, Policy, Scenario};

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "nargis-2008".into());
    let policy: Policy = args
        .next()
        .map_or(Ok(Policy::Inclusive), |p| p.parse())
        .expect("a policy");
    let scenario = Scenario::embedded(&name)
        .expect("a shipped scenario")
        .expect("valid");
    let plan = scenario
        .plan(&Catalogue::embedded(), policy)
        .expect("a plan");
    println!(
        "{}",
        serde_json::to_string_pretty(&plan).expect("serialisable")
    );
}

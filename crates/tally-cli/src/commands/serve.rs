//! `tally serve`: the HTTP API (and, once it lands, the dashboard) over the ledger.
//! A thin call into `tally-server`.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use std::net::SocketAddr;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on. Keep it on loopback behind a reverse proxy (see README).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// A public mirror: refuse every write, open the ledger read-only.
    #[arg(long)]
    pub read_only: bool,
    /// Behind a reverse proxy on loopback: take the client's address (for rate limits)
    /// from the last X-Forwarded-For hop.
    #[arg(long)]
    pub trust_proxy: bool,
    /// Largest file POST /api/v1/ingest takes, in MiB.
    #[arg(long, default_value_t = 512)]
    pub max_ingest_mib: usize,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let mut config = tally_server::ServeConfig::new(args.addr, global.db.clone());
    config.read_only = args.read_only;
    config.trust_proxy = args.trust_proxy;
    config.limits.ingest_body = args.max_ingest_mib.saturating_mul(1024 * 1024);
    if args.read_only && !tally_store::is_postgres_url(&global.db) && !global.db.exists() {
        return Err(bad_input(format!(
            "--read-only: no ledger at {}",
            global.db.display()
        )));
    }
    match tally_server::run(config) {
        Ok(()) => Ok(Outcome::Success),
        Err(tally_server::ServeError::Open(error)) => Err(bad_input(format!(
            "cannot serve {}: {error}",
            global.db.display()
        ))),
        Err(error @ tally_server::ServeError::Bind { .. }) => Err(bad_input(error.to_string())),
        Err(error) => Err(error.into()),
    }
}

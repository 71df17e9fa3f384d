//! `tally token create|list|revoke`: API tokens for `tally serve`.
//!
//! `create` prints the token alone on stdout, once: the ledger keeps only its argon2
//! hash and its short public id. Revoking appends a row; nothing is deleted.

use crate::cli::Global;
use crate::exit::{bad_input, Outcome};
use tally_server::auth::{create_token, list_tokens, revoke_token, Role, TokenError};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Make a token and print it once (only its hash is kept).
    Create {
        /// curator (adds files), reviewer (reviews submissions, link decisions) or admin.
        #[arg(long)]
        role: String,
        /// A label to tell tokens apart in `tally token list`.
        #[arg(long)]
        name: Option<String>,
    },
    /// List tokens: public id, role, name, when made, when revoked.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by its public id (or the token itself).
    Revoke {
        /// The token's public id, or the token itself.
        id: String,
    },
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    // Listing only reads; making and revoking tokens write (a new ledger may start with
    // its first token).
    let mut ledger = match args.action {
        Action::List { .. } => crate::ledger::open(global)?,
        _ => crate::ledger::open_for_writing(global, true)?,
    };
    match args.action {
        Action::Create { role, name } => {
            let role = Role::parse(&role).ok_or_else(|| {
                bad_input(format!(
                    "--role {role:?}: expected curator, reviewer or admin"
                ))
            })?;
            let made = create_token(&mut ledger, role, name.as_deref())?;
            eprintln!(
                "made {} token {} (shown once; the ledger keeps only its hash)",
                role.as_str(),
                made.id
            );
            println!("{}", made.token);
        }
        Action::List { json } => {
            let tokens = list_tokens(&ledger)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tokens)?);
            } else {
                println!(
                    "{:<10} {:<9} {:<27} {:<27} name",
                    "id", "role", "created", "revoked"
                );
                for t in &tokens {
                    println!(
                        "{:<10} {:<9} {:<27} {:<27} {}",
                        t.id,
                        t.role,
                        t.created_at,
                        t.revoked_at.as_deref().unwrap_or("-"),
                        t.name.as_deref().unwrap_or("")
                    );
                }
            }
        }
        Action::Revoke { id } => match revoke_token(&mut ledger, &id) {
            Ok(true) => eprintln!("revoked token {id}"),
            Ok(false) => eprintln!("token {id} was already revoked"),
            Err(error @ TokenError::Unknown(_)) => return Err(bad_input(error.to_string())),
            Err(error) => return Err(error.into()),
        },
    }
    Ok(Outcome::Success)
}

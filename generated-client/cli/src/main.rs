//! `genviral`: one Genviral Partner API call from the shell.
//!
//! The subcommands, their flags and their help are generated from
//! `spec/openapi.yaml` (progenitor's `Generator::cli`, through `cargo xtask
//! generate`, into `generated.rs`): one per operation, a flag per path
//! parameter and per scalar body field, a value flag and a `null` flag per
//! clearable field, and `--json-body` for the whole body. This file adds the
//! program around them: the global options, the API key, the client, what
//! is printed ([`output`]) and the exit status ([`failure`]).

mod failure;
mod json_body;
mod output;

#[rustfmt::skip]
mod generated;

use std::process::ExitCode;

use clap::{Arg, ArgMatches, Command};
use genviral_partner::{
    ApiError, Client, ConfigError, DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL,
};

use failure::Failure;
use generated::{Cli, CliCommand};
use output::{Format, Printer};

/// The global flags' ids.
const BASE_URL: &str = "base-url";
const OUTPUT: &str = "output";

fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        // A usage error clap found: as JSON when `--output json` was asked
        // for, else clap prints it (and `--help`, `--version`) itself.
        Err(error) if error.use_stderr() && Format::requested(std::env::args()) == Format::Json => {
            let printer = Printer {
                format: Format::Json,
            };
            printer.failure(Failure::Usage, &error.render().to_string());
            return ExitCode::from(Failure::Usage.exit_code());
        }
        Err(error) => error.exit(),
    };
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => ExitCode::from(failure.exit_code()),
    }
}

/// `genviral` and its subcommands, one per operation, named after the
/// operation in kebab case (`update-pack`).
fn command() -> Command {
    let exit_statuses: String = Failure::ALL
        .iter()
        .map(|failure| format!("  {}  {}\n", failure.exit_code(), failure.describe()))
        .collect();
    let mut command = Command::new("genviral")
        .version(env!("CARGO_PKG_VERSION"))
        .about("One Genviral Partner API update from the shell: packs, templates, slideshows, folders.")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new(BASE_URL)
                .long(BASE_URL)
                .value_name("URL")
                .global(true)
                .help(format!(
                    "The API's base URL [default: ${ENV_BASE_URL}, else {DEFAULT_BASE_URL}]"
                )),
        )
        .arg(
            Arg::new(OUTPUT)
                .long(OUTPUT)
                .value_name("FORMAT")
                .global(true)
                .value_parser(Format::NAMES)
                .default_value(Format::NAMES[0])
                .help("`pretty`: indented JSON; `json`: one line of JSON (failures too, on standard error)"),
        )
        .after_help(format!(
            "The API key (`<public_id>.<secret>`) is read from ${ENV_API_KEY}.\n\n\
             Exit status:\n  0  success\n{exit_statuses}"
        ));
    for operation in CliCommand::iter() {
        command = command
            .subcommand(Cli::<Printer>::get_command(operation).name(subcommand_name(operation)));
    }
    command
}

fn subcommand_name(operation: CliCommand) -> String {
    operation.operation_id().replace('_', "-")
}

/// Runs the subcommand in `matches`; a failure has been printed.
fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let (name, arguments) = matches.subcommand().ok_or(Failure::Usage)?;
    let operation = CliCommand::iter()
        .find(|operation| subcommand_name(*operation) == name)
        .ok_or(Failure::Usage)?;
    let printer = Printer {
        format: matches
            .get_one::<String>(OUTPUT)
            .and_then(|name| Format::from_name(name))
            .unwrap_or(Format::Pretty),
    };
    let client = client(matches).map_err(|message| {
        printer.failure(Failure::Usage, &message);
        Failure::Usage
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            let message = format!("cannot start the async runtime: {error}");
            printer.failure(Failure::Other, &message);
            Failure::Other
        })?;
    let cli = Cli::new(client, printer);
    runtime
        .block_on(cli.execute(operation, arguments))
        .map_err(|error| match error.downcast_ref::<ApiError>() {
            // The printer has reported it.
            Some(error) => Failure::of(error),
            // Reading or parsing `--json-body`.
            None => {
                printer.failure(Failure::Usage, &format!("{error:#}"));
                Failure::Usage
            }
        })
}

/// The client for the API key in the environment and the base URL.
fn client(matches: &ArgMatches) -> Result<Client, String> {
    let token = std::env::var(ENV_API_KEY).map_err(|error| match error {
        std::env::VarError::NotUnicode(_) => {
            format!("{ENV_API_KEY} is not valid UTF-8, so it is no API key; nothing was sent")
        }
        std::env::VarError::NotPresent => format!(
            "{ENV_API_KEY} is not set: export your Partner API key (`<public_id>.<secret>`, \
             from the API Keys page of www.genviral.io); nothing was sent"
        ),
    })?;
    let base_url = matches
        .get_one::<String>(BASE_URL)
        .cloned()
        .or_else(|| std::env::var(ENV_BASE_URL).ok());
    let mut builder = Client::builder().token(token);
    if let Some(base_url) = base_url {
        builder = builder.base_url(base_url);
    }
    builder.build().map_err(|error| match error {
        ConfigError::InvalidToken { .. } => {
            format!("{ENV_API_KEY} is not a Partner API key: {error}; nothing was sent")
        }
        _ => format!("{error}; nothing was sent"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_well_formed() {
        command().debug_assert();
    }
}

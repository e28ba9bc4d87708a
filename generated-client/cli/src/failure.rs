//! How `genviral` fails, told apart by its exit status.

use genviral_partner::{ApiError, ErrorKind};

/// A failed run. The exit status names the kind, so scripts can tell a
/// mistake in the command from a refusal by the API and from a network
/// problem worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Anything else (exit status 1).
    Other,
    /// The command is wrong: a bad flag or value, no API key, an unreadable
    /// `--json-body`, a body refused before sending (exit status 2, as clap
    /// exits on a bad flag).
    Usage,
    /// The API answered with an error, or with a reply the spec does not
    /// describe (exit status 3); the status and `error_code` are printed.
    Api,
    /// No usable reply: DNS, connection, TLS, timeout, a lost connection or
    /// body (exit status 4).
    Network,
}

impl Failure {
    /// Every failure, for `--help`.
    pub const ALL: [Failure; 4] = [
        Failure::Other,
        Failure::Usage,
        Failure::Api,
        Failure::Network,
    ];

    /// What a client call's error means for the command.
    pub fn of(error: &ApiError) -> Failure {
        match error.kind() {
            ErrorKind::InvalidRequest => Failure::Usage,
            ErrorKind::Api | ErrorKind::InvalidPayload | ErrorKind::UnexpectedStatus => {
                Failure::Api
            }
            ErrorKind::Timeout
            | ErrorKind::Dns
            | ErrorKind::Connect
            | ErrorKind::Tls
            | ErrorKind::Communication
            | ErrorKind::BodyRead => Failure::Network,
            _ => Failure::Other,
        }
    }

    /// The exit status.
    pub fn exit_code(self) -> u8 {
        match self {
            Failure::Other => 1,
            Failure::Usage => 2,
            Failure::Api => 3,
            Failure::Network => 4,
        }
    }

    /// The name `--output json` prints (`"error"`).
    pub fn name(self) -> &'static str {
        match self {
            Failure::Other => "failure",
            Failure::Usage => "usage_error",
            Failure::Api => "api_error",
            Failure::Network => "network_failure",
        }
    }

    /// What it is, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Failure::Other => "failed",
            Failure::Usage => "usage error",
            Failure::Api => "API error",
            Failure::Network => "network failure",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_distinct_and_usage_is_clap_s() {
        let codes: std::collections::BTreeSet<u8> = Failure::ALL
            .iter()
            .map(|failure| failure.exit_code())
            .collect();
        assert_eq!(codes.len(), Failure::ALL.len());
        assert_eq!(
            Failure::Usage.exit_code(),
            u8::try_from(
                clap::error::Error::<clap::error::DefaultFormatter>::new(
                    clap::error::ErrorKind::InvalidValue
                )
                .exit_code()
            )
            .unwrap()
        );
        assert!(!codes.contains(&0));
    }

    #[test]
    fn a_refused_request_is_a_usage_error() {
        let error = ApiError::invalid_request("UpdatePackRequest: at least one field");
        assert_eq!(Failure::of(&error), Failure::Usage);
    }
}

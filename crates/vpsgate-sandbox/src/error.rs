//! The sandbox's one error type: a leaf every other module may use.

/// What can stop the sandbox from starting or keeping its state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The configuration is invalid (the message names the field).
    #[error("sandbox config: {0}")]
    Config(String),
    /// The state file cannot be read or written.
    #[error("sandbox state: {0}")]
    State(String),
    /// No such GoVPSFX partner.
    #[error("unknown partner {0:?}")]
    UnknownPartner(String),
    /// Binding or running the server failed.
    #[error("sandbox I/O: {0}")]
    Io(#[from] std::io::Error),
}

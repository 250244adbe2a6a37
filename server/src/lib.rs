//! The axum server: configuration, start-up, router, middleware and the CLI.

pub mod config;
pub mod middleware;
pub mod secrets;
pub mod startup;
pub mod telemetry;

pub use startup::{Application, StartupError};

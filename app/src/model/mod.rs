//! Shared serde types and pure rules. Compiled for the browser and the server alike, so the
//! browser validates with the server's own code.

pub mod account;
pub mod announcement;
pub mod application;
pub mod audit;
pub mod business;
pub mod credit_code;
pub mod members;
pub mod money;
pub mod net;
pub mod outbox;
pub mod policy;
pub mod system;
pub mod time;

pub use money::Fen;
pub use time::UtcMillis;

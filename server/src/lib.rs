//! The axum server: configuration, start-up, router, middleware and the CLI.

#![recursion_limit = "512"]

pub mod backup;
pub mod bench;
pub mod bench_api;
pub mod bench_export;
pub mod callbacks;
pub mod config;
pub mod config_work;
pub mod dkim;
pub mod exports;
pub mod files;
pub mod http;
pub mod invoice_files;
pub mod jobs;
pub mod middleware;
pub mod openapi;
pub mod openapi_guard;
pub mod outbound;
pub mod page_cache;
pub mod privacy_copy;
pub mod regions;
pub mod routes;
pub mod secret_arg;
pub mod secrets;
pub mod sharing_csv;
pub mod sms;
pub mod startup;
pub mod state;
pub mod support;
pub mod telemetry;
pub mod unsubscribe;
pub mod wechat;

pub use startup::{Application, StartupError};

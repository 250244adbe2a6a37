//! Integration tests: the real application on a random port, over real HTTP, on the engine
//! that `TEST_DATABASE_URL` chooses (unset: SQLite; `postgres://…`: a fresh PostgreSQL
//! database per test).

mod helpers;

mod accounts;
mod announcements;
mod applications;
mod authz;
mod authz_endpoints;
mod backup;
mod batches;
mod business;
mod closure;
mod codes;
mod concurrency;
mod consent;
mod credits;
mod dashboard;
mod data_map;
mod delivery;
mod duplicates;
mod fixtures;
mod four_eyes;
mod funds;
mod health;
mod incidents;
mod layers;
mod ledger;
mod members;
mod messages;
mod operator_admin;
mod operators;
mod page_cache;
mod pages;
mod pdf_uploads;
mod policies;
mod policy_versions;
mod process;
mod promises;
mod purposes;
mod recovery;
mod registration;
mod registration_helpers;
mod rights;
mod rights_copy;
mod rights_correction;
mod rights_rules;
mod scan_helpers;
mod scan_login;
mod scan_website;
mod schema;
mod servers;
mod sessions;
mod sms;
mod startup;
mod wechat;

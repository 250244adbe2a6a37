//! WeChat login (P1.1.3; issue 15): the HTTP client of WeChat's server-to-server API and the
//! development simulator of WeChat's login (`server wechat-sim`).

pub mod client;
pub mod simulator;

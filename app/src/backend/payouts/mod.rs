//! Payouts to workers. The real bank, Alipay and WeChat payouts sit behind
//! [`PayoutChannel`]; the product ships a simulator ([`simulator::SimulatedChannel`]) for
//! development and tests. The [`worker`] drives orders through the channel.

pub mod simulator;
pub mod worker;

use crate::model::funds::{Channel, Reason};
use std::future::Future;
use std::pin::Pin;

pub type ChannelFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ChannelError>> + Send + 'a>>;

/// A payout to make. `key` is the order's id: submitting the same key twice makes one
/// payout (real channels take the merchant's order number for exactly this).
#[derive(Clone)]
pub struct PayoutRequest {
    pub key: String,
    pub channel: Channel,
    pub account: String,
    pub payee_name: String,
    /// What reaches the worker, in fen.
    pub amount: i64,
}

/// What the channel says about a payout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayoutState {
    /// The channel has never seen this key (for example the process stopped between
    /// claiming the order and submitting it): submit it again.
    Unknown,
    Pending,
    Paid {
        channel_ref: String,
    },
    Failed {
        reason: Reason,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("payout channel: {0}")]
pub struct ChannelError(pub String);

/// Where a payout channel sends the payees' details (P4.1): the server refuses to start with a
/// channel outside the storage region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelRegion {
    /// Nothing leaves this process (the simulator; no channel configured).
    InProcess,
    /// A bank's or payment provider's region code (`cn-mainland`, `hk`…).
    Declared(String),
}

pub trait PayoutChannel: Send + Sync {
    fn name(&self) -> &'static str;
    /// Where it sends payees' details: every real channel must declare it.
    fn region(&self) -> ChannelRegion;
    /// Submits a payout; idempotent on `key`.
    fn submit<'a>(&'a self, req: &'a PayoutRequest) -> ChannelFuture<'a, ()>;
    fn status<'a>(&'a self, key: &'a str) -> ChannelFuture<'a, PayoutState>;
    /// Paid payouts that came back and have not been acknowledged yet.
    fn returns(&self) -> ChannelFuture<'_, Vec<String>>;
    /// The platform has booked the return.
    fn ack_return<'a>(&'a self, key: &'a str) -> ChannelFuture<'a, ()>;
}

/// The channel of a production deployment that has no payout channel configured: every
/// payout stays waiting (and the worker says so in its log) rather than being marked paid
/// without money moving. Real bank, Alipay and WeChat channels implement [`PayoutChannel`].
pub struct Unconfigured;

impl PayoutChannel for Unconfigured {
    fn name(&self) -> &'static str {
        "unconfigured"
    }
    fn region(&self) -> ChannelRegion {
        ChannelRegion::InProcess
    }
    fn submit<'a>(&'a self, _req: &'a PayoutRequest) -> ChannelFuture<'a, ()> {
        Box::pin(async { Err(ChannelError("no payout channel is configured".into())) })
    }
    fn status<'a>(&'a self, _key: &'a str) -> ChannelFuture<'a, PayoutState> {
        Box::pin(async { Ok(PayoutState::Pending) })
    }
    fn returns(&self) -> ChannelFuture<'_, Vec<String>> {
        Box::pin(async { Ok(Vec::new()) })
    }
    fn ack_return<'a>(&'a self, _key: &'a str) -> ChannelFuture<'a, ()> {
        Box::pin(async { Ok(()) })
    }
}

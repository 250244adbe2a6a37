//! What the services need to know about the request that called them.

/// Where a request came from.
#[derive(Clone, Debug, Default)]
pub struct ClientMeta {
    pub ip: String,
    pub user_agent: String,
}

impl ClientMeta {
    /// The IP as records keep it: /24 for IPv4, /48 for IPv6.
    pub fn stored_ip(&self) -> String {
        crate::model::net::truncate_ip(&self.ip)
    }
    /// The user agent as records keep it: at most 300 characters.
    pub fn stored_agent(&self) -> String {
        self.user_agent.chars().take(300).collect()
    }
}

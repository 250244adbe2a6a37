//! The command line's settings of the task library, customer service (issue 18) and the open
//! API (issue 19), flattened
//! into the server's arguments.

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct WorkArgs {
    /// The categories a task may have (issue 18), separated by `;`.
    #[arg(
        long = "task-categories",
        env = "ESP_TASK_CATEGORIES",
        value_delimiter = ';',
        default_value = "配送;家政;设计;软件开发;营销推广;数据标注;其他"
    )]
    pub task_categories: Vec<String>,

    /// Terms that flag a task for the reviewer's attention (never decide it), separated by `;`.
    #[arg(
        long = "task-forbidden-terms",
        env = "ESP_TASK_FORBIDDEN_TERMS",
        value_delimiter = ';',
        default_value = "刷单;赌博;博彩;代考;套现;色情"
    )]
    pub task_forbidden_terms: Vec<String>,

    /// Orders to workers who have not signed the service agreement wait, suspended, until they
    /// sign (issue 18).
    #[arg(long = "pay-signed-workers-only", env = "ESP_PAY_SIGNED_WORKERS_ONLY")]
    pub pay_signed_workers_only: bool,

    /// Minutes within which a support ticket should have its first answer (issue 18 §3).
    #[arg(long, env = "ESP_SUPPORT_FIRST_RESPONSE_MINUTES", default_value_t = 240, value_parser = clap::value_parser!(u32).range(1..=43_200))]
    pub support_first_response_minutes: u32,

    /// Hours within which a support ticket should be resolved (issue 18 §3).
    #[arg(long, env = "ESP_SUPPORT_RESOLUTION_HOURS", default_value_t = 72, value_parser = clap::value_parser!(u32).range(1..=8_760))]
    pub support_resolution_hours: u32,

    /// Requests per second one open API key may make (issue 19); more are answered 429 with
    /// `Retry-After`.
    #[arg(long, env = "ESP_API_RATE_PER_SECOND", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub api_rate_per_second: u32,
}

impl WorkArgs {
    /// Customer service's timeliness targets.
    pub fn support_targets(&self) -> app::model::support::Targets {
        app::model::support::Targets {
            first_response_minutes: self.support_first_response_minutes,
            resolution_minutes: self.support_resolution_hours * 60,
        }
    }
}

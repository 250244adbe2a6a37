//! The 90-day balance chart: an SVG drawn by our own code (no chart library), identical on
//! the server and in the browser so that hydration matches.

use crate::i18n::{t, FundMsg};
use crate::model::funds::DayBalance;
use crate::model::Fen;
use leptos::prelude::*;

const W: f64 = 720.0;
const H: f64 = 200.0;
const PAD_X: f64 = 8.0;
const PAD_Y: f64 = 16.0;

/// Scales the values into the chart's box: the polyline's points, and the (min, max) shown.
/// A flat series is drawn at mid-height.
pub fn points(values: &[i64]) -> (String, i64, i64) {
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        return (String::new(), 0, 0);
    };
    let span = (max - min) as f64;
    let step = if values.len() > 1 {
        (W - 2.0 * PAD_X) / (values.len() - 1) as f64
    } else {
        0.0
    };
    let pts = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let y = if span == 0.0 {
                H / 2.0
            } else {
                H - PAD_Y - ((*v - min) as f64 / span) * (H - 2.0 * PAD_Y)
            };
            format!("{:.1},{:.1}", PAD_X + step * i as f64, y)
        })
        .collect::<Vec<_>>()
        .join(" ");
    (pts, min, max)
}

#[component]
pub fn BalanceChart(series: Vec<DayBalance>) -> impl IntoView {
    let values: Vec<i64> = series.iter().map(|d| d.total.0).collect();
    let (pts, min, max) = points(&values);
    let first = series
        .first()
        .map(|d| d.day_start.china_date())
        .unwrap_or_default();
    let last = series
        .last()
        .map(|d| d.day_start.china_date())
        .unwrap_or_default();
    let summary = format!("{first} – {last}: {} – {}", Fen(min), Fen(max));
    let label = summary.clone();
    view! {
        <figure class="chart" data-testid="balance-chart">
            <figcaption>{t(FundMsg::Chart)}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=label preserveAspectRatio="none">
                <title>{summary}</title>
                <line x1=PAD_X y1=H - PAD_Y x2=W - PAD_X y2=H - PAD_Y class="chart-axis"/>
                <polyline points=pts class="chart-line" fill="none"/>
            </svg>
            <div class="chart-labels">
                <span>{first}</span>
                <span>{format!("{} – {}", Fen(min), Fen(max))}</span>
                <span>{last}</span>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn points_span_the_box_from_min_to_max() {
        let (pts, min, max) = super::points(&[0, 50, 100]);
        assert_eq!((min, max), (0, 100));
        assert_eq!(pts, "8.0,184.0 360.0,100.0 712.0,16.0");
        let (flat, ..) = super::points(&[7, 7]);
        assert_eq!(flat, "8.0,100.0 712.0,100.0");
        assert_eq!(super::points(&[]).0, "");
    }
}

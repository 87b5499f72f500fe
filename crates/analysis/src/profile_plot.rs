//! The SVG chart of a vocabulary profile ([`crate::profile`]): one bar per
//! band, its share of the tokens, with the share written on it; several
//! profiles (guests side by side) as groups of bars in one chart. Returned
//! as a string, like [`crate::plots`], for the CLI to write and the web to
//! put in a page.

use crate::plots::PlotError;
use crate::profile::{Profile, BANDS, OFF_LIST};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Width of the chart, in pixels.
const WIDTH: u32 = 900;

/// A palette for the profiles of one chart (cycled past its end).
const COLOURS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

fn fail(what: &str) -> impl Fn(String) -> PlotError + '_ {
    move |reason| PlotError {
        chart: what.to_string(),
        reason,
    }
}

/// Bars of each band's token share (percent), one group per band and one
/// bar per profile in it, labelled by `profiles`' names.
pub fn bands_chart(title: &str, profiles: &[(String, &Profile)]) -> Result<String, PlotError> {
    let err = fail(title);
    let names: Vec<&str> = BANDS.iter().map(|&(n, _)| n).chain([OFF_LIST]).collect();
    let k = profiles.len().max(1);
    let max = profiles
        .iter()
        .flat_map(|(_, p)| p.bands.iter().map(|b| 100.0 * b.share))
        .fold(0.0, f64::max)
        .max(1.0);
    // Room for the legend of guests when there are several.
    let height = 420 + if k > 1 { 22 * k as u32 } else { 0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..names.len() as f64, 0f64..max * 1.12)
            .map_err(|e| err(e.to_string()))?;
        let label = |x: &f64| {
            let i = x.floor() as usize;
            // Band names under the middle of each group only.
            if (x - i as f64 - 0.5).abs() < 1e-6 {
                names.get(i).map_or(String::new(), |s| s.to_string())
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(2 * names.len() + 1)
            .x_label_formatter(&label)
            .y_desc("% of tokens")
            .x_desc("wordfreq large_en rank band")
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        let width = 0.8 / k as f64;
        let on_bar = TextStyle::from(("sans-serif", 12).into_font())
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        for (j, (name, p)) in profiles.iter().enumerate() {
            let colour = COLOURS[j % COLOURS.len()];
            let bars: Vec<(f64, f64)> = p
                .bands
                .iter()
                .enumerate()
                .map(|(i, b)| (i as f64 + 0.1 + j as f64 * width, 100.0 * b.share))
                .collect();
            let series = chart
                .draw_series(bars.iter().map(|&(x, v)| {
                    Rectangle::new([(x, 0.0), (x + width * 0.95, v)], colour.mix(0.7).filled())
                }))
                .map_err(|e| err(e.to_string()))?;
            if k > 1 {
                series.label(name.as_str()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
            }
            // The share on each bar when the bars are wide enough to read it.
            if k <= 3 {
                chart
                    .draw_series(bars.iter().map(|&(x, v)| {
                        Text::new(format!("{v:.1}"), (x + width / 2.0, v), on_bar.clone())
                    }))
                    .map_err(|e| err(e.to_string()))?;
            }
        }
        if k > 1 {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK)
                .position(SeriesLabelPosition::UpperRight)
                .label_font(("sans-serif", 14))
                .draw()
                .map_err(|e| err(e.to_string()))?;
        }
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Band, Numbers};

    fn profile(shares: [f64; 8]) -> Profile {
        Profile {
            documents: 1,
            tokens: 100,
            types: 10,
            numbers: Numbers::default(),
            bands: shares
                .iter()
                .zip(BANDS.iter().map(|b| b.0).chain([OFF_LIST]))
                .map(|(&s, band)| Band {
                    band,
                    tokens: (s * 100.0) as u64,
                    types: 1,
                    share: s,
                    type_share: 0.1,
                })
                .collect(),
            off_list: Vec::new(),
        }
    }

    #[test]
    fn draws_one_or_several_profiles() {
        let a = profile([0.8, 0.1, 0.03, 0.02, 0.01, 0.02, 0.01, 0.01]);
        let svg = bands_chart("Profile of lexicap/316", &[("316".into(), &a)]).expect("svg");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("80.0") && svg.contains("off-list"), "{svg}");
        let b = profile([0.7, 0.1, 0.1, 0.02, 0.02, 0.02, 0.02, 0.02]);
        let two =
            bands_chart("Guests <&>", &[("Ann".into(), &a), ("Bob & Co".into(), &b)]).expect("svg");
        assert!(two.contains("Bob &amp; Co"), "{two}");
    }
}

//! Annotations crowding a chart keep apart from every text and mark.

use crate::model::annotation::{Annotation, AnnotationAt};
use crate::model::chart::ChartKind;
use crate::render::chart_svg::render_svg;
use crate::render::chart_svg::testkit::{chart, geometry, values};
use crate::render::chart_svg::text::{TEXT_DOWN, TEXT_UP, measure};

fn a(at: AnnotationAt, label: &str) -> Annotation {
    Annotation {
        at,
        label: label.to_string(),
        series: None,
        offset: 0,
    }
}

/// Twenty annotations crowding eight categories: every label (measured with the shipped
/// font) is apart from every other text, inside the viewBox, and off every bar.
#[test]
fn crowded_labels_keep_apart_from_texts_and_marks() {
    let cats = [
        "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024",
    ];
    let row: Vec<Option<f64>> = (0..8).map(|i| Some(5.0 + 3.0 * i as f64)).collect();
    let v = values(&cats, &[&row], 0);
    let mut anns = Vec::new();
    for (i, c) in cats.iter().enumerate() {
        anns.push(a(
            AnnotationAt::X(c.to_string()),
            &format!("Event {i} happened"),
        ));
        anns.push(a(AnnotationAt::Y(4.0 * i as f64), &format!("Level {i}")));
    }
    anns.push(a(
        AnnotationAt::XBand("2018".into(), "2022".into()),
        "A band",
    ));
    anns.push(a(AnnotationAt::YBand(2.0, 9.0), "Normal"));
    anns.push(a(AnnotationAt::X("2019".into()), "Again"));
    anns.push(a(AnnotationAt::Y(60.0), "Far above"));
    assert_eq!(anns.len(), 20);
    assert_apart(&v, &anns, 60.0);
}

/// Nine reference lines one unit apart, two of them notes' neighbours: their labels in the
/// margin are moved apart, and stay off the plot's texts.
#[test]
fn close_reference_lines_are_labelled_apart_in_the_margin() {
    let cats = ["North", "South", "East", "West"];
    let row = [Some(12.0), Some(14.5), Some(9.0), Some(17.0)];
    let v = values(&cats, &[&row], 1);
    let mut anns: Vec<Annotation> = (0..9)
        .map(|i| a(AnnotationAt::Y(10.0 + i as f64), &format!("Line {i}")))
        .collect();
    anns.push(a(AnnotationAt::X("East".into()), "A note on East"));
    anns.push(a(
        AnnotationAt::XBand("North".into(), "South".into()),
        "Band",
    ));
    assert_apart(&v, &anns, 18.0);
}

/// Draws `anns` on a line, bar and hbar chart of `v`; `top` must be on the value axis.
fn assert_apart(v: &crate::model::chart::ChartValues, anns: &[Annotation], top: f64) {
    for kind in [ChartKind::Line, ChartKind::Bar, ChartKind::HBar] {
        let mut c = chart(kind, "t", v);
        c.annotations = anns;
        let svg = render_svg(&c).unwrap();
        let g = geometry(&svg);
        let boxes: Vec<(f64, f64, f64, f64, &str)> = g
            .texts
            .iter()
            .map(|t| {
                let w = measure(&t.text);
                let l = match t.anchor.as_str() {
                    "middle" => t.x - w / 2.0,
                    "end" => t.x - w,
                    _ => t.x,
                };
                (l, t.y - TEXT_UP, l + w, t.y + TEXT_DOWN, t.class.as_str())
            })
            .collect();
        let ours = |b: &(f64, f64, f64, f64, &str)| b.4.contains("chart-annotation-label");
        assert!(
            boxes.iter().filter(|b| ours(b)).count() >= anns.len(),
            "{kind:?}"
        );
        for (i, p) in boxes.iter().enumerate() {
            assert!(
                p.0 >= 0.0 && p.2 <= g.width + 1e-9,
                "{kind:?} inside: {p:?}"
            );
            assert!(
                p.1 >= 0.0 && p.3 <= g.height + 1e-9,
                "{kind:?} inside: {p:?}"
            );
            for q in &boxes[i + 1..] {
                if !ours(p) && !ours(q) {
                    continue;
                }
                let apart = p.2 <= q.0 || q.2 <= p.0 || p.3 <= q.1 || q.3 <= p.1;
                assert!(apart, "{kind:?}: {p:?} overlaps {q:?}");
            }
            if ours(p) {
                for b in &g.bars {
                    let apart = p.2 <= b.x || b.x + b.w <= p.0 || p.3 <= b.y || b.y + b.h <= p.1;
                    assert!(apart, "{kind:?}: {p:?} on a bar {b:?}");
                }
                for &(x, y) in &g.points {
                    let apart =
                        p.2 <= x - 3.0 || x + 3.0 <= p.0 || p.3 <= y - 3.0 || y + 3.0 <= p.1;
                    assert!(apart, "{kind:?}: {p:?} on a point {x},{y}");
                }
            }
        }
        // The axis reaches the highest line.
        if kind != ChartKind::HBar {
            let _ = g.value_to_y();
            let ticks = g.texts_of("chart-tick");
            let highest = ticks.iter().filter_map(|t| t.text.parse::<f64>().ok());
            assert!(
                highest.fold(f64::MIN, f64::max) >= top,
                "{kind:?}: {ticks:?}"
            );
        }
    }
}

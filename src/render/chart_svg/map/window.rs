//! The part of the world a map shows: all of it, or for a locator the neighbourhood of one
//! country, with every ring cut to that window (Sutherland–Hodgman against its four edges),
//! so a locator is a readable close-up and carries only the coordinates it shows.

use crate::geo::{self, Country, Ring};

/// A window on the world frame, in world units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Window {
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

/// How much wider than the country its locator's window is, and the least width (a fifth of
/// the world), so a small country still shows its neighbours.
const CONTEXT: f64 = 3.0;
const MIN_WIDTH_SHARE: f64 = 0.2;
/// A locator's width to height.
const ASPECT: f64 = 2.0;

impl Window {
    pub(super) fn world() -> Window {
        Window {
            x0: 0.0,
            y0: 0.0,
            x1: geo::WORLD_WIDTH,
            y1: geo::world_height(),
        }
    }

    pub(super) fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub(super) fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// The neighbourhood of `country`'s largest ring (France without French Guiana), kept
    /// inside the world frame.
    pub(super) fn around(country: &Country) -> Window {
        let world = Window::world();
        let largest = country.rings.iter().max_by(|a, b| {
            let area = |r: &Ring| bounds(r).map_or(0.0, |w| w.width() * w.height());
            area(a).total_cmp(&area(b))
        });
        let (cx, cy, w, h) = match largest.and_then(bounds) {
            Some(b) => (
                (b.x0 + b.x1) / 2.0,
                (b.y0 + b.y1) / 2.0,
                b.width(),
                b.height(),
            ),
            None => (
                f64::from(country.centre.0),
                f64::from(country.centre.1),
                0.0,
                0.0,
            ),
        };
        let width = (w * CONTEXT)
            .max(h * CONTEXT * ASPECT)
            .max(world.width() * MIN_WIDTH_SHARE)
            .min(world.width());
        let height = (width / ASPECT).min(world.height());
        let x0 = (cx - width / 2.0).clamp(0.0, world.width() - width);
        let y0 = (cy - height / 2.0).clamp(0.0, world.height() - height);
        Window {
            x0,
            y0,
            x1: x0 + width,
            y1: y0 + height,
        }
    }

    fn overlaps(&self, other: &Window) -> bool {
        self.x0 <= other.x1 && other.x0 <= self.x1 && self.y0 <= other.y1 && other.y0 <= self.y1
    }

    fn contains(&self, other: &Window) -> bool {
        self.x0 <= other.x0 && other.x1 <= self.x1 && self.y0 <= other.y0 && other.y1 <= self.y1
    }

    /// `rings` as seen through the window: rings outside it dropped, rings across its edge
    /// cut along it.
    pub(super) fn clip(&self, rings: &[Ring]) -> Vec<Vec<(f64, f64)>> {
        let mut out = Vec::new();
        for ring in rings {
            let Some(b) = bounds(ring) else { continue };
            if !self.overlaps(&b) {
                continue;
            }
            let points: Vec<(f64, f64)> = ring
                .iter()
                .map(|&(x, y)| (f64::from(x), f64::from(y)))
                .collect();
            let points = if self.contains(&b) {
                points
            } else {
                self.cut(points)
            };
            if points.len() >= 3 {
                out.push(points);
            }
        }
        out
    }

    /// Sutherland–Hodgman: the polygon cut by each edge of the window in turn.
    fn cut(&self, mut points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
        let edges: [(Side, f64); 4] = [
            (|p, v| p.0 - v, self.x0),
            (|p, v| v - p.0, self.x1),
            (|p, v| p.1 - v, self.y0),
            (|p, v| v - p.1, self.y1),
        ];
        for (side, value) in edges {
            let inside = |p: &(f64, f64)| side(p, value) >= 0.0;
            let mut kept = Vec::with_capacity(points.len() + 4);
            for (i, p) in points.iter().enumerate() {
                let prev = points[(i + points.len() - 1) % points.len()];
                let (a, b) = (side(&prev, value), side(p, value));
                if (a >= 0.0) != (b >= 0.0) {
                    let t = a / (a - b);
                    kept.push((prev.0 + t * (p.0 - prev.0), prev.1 + t * (p.1 - prev.1)));
                }
                if inside(p) {
                    kept.push(*p);
                }
            }
            points = kept;
            if points.is_empty() {
                break;
            }
        }
        points
    }
}

/// How far a point is inside one edge of a window (negative: outside).
type Side = fn(&(f64, f64), f64) -> f64;

fn bounds(ring: &Ring) -> Option<Window> {
    let first = ring.first()?;
    let mut w = Window {
        x0: f64::from(first.0),
        y0: f64::from(first.1),
        x1: f64::from(first.0),
        y1: f64::from(first.1),
    };
    for &(x, y) in ring {
        let (x, y) = (f64::from(x), f64::from(y));
        w.x0 = w.x0.min(x);
        w.x1 = w.x1.max(x);
        w.y0 = w.y0.min(y);
        w.y1 = w.y1.max(y);
    }
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_across_the_edge_is_cut_along_it() {
        let w = Window {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        let square = vec![(5, 5), (15, 5), (15, 8), (5, 8)];
        let cut = w.clip(&[square]);
        assert_eq!(cut.len(), 1);
        assert!(
            cut[0]
                .iter()
                .all(|&(x, y)| (0.0..=10.0).contains(&x) && (0.0..=10.0).contains(&y))
        );
        assert!(cut[0].contains(&(10.0, 5.0)) && cut[0].contains(&(10.0, 8.0)));
        assert!(w.clip(&[vec![(20, 20), (30, 20), (30, 30)]]).is_empty());
    }

    #[test]
    fn a_locator_window_holds_its_country_and_stays_in_the_world() {
        let world = Window::world();
        for iso in ["FRA", "RUS", "SGP", "FJI", "KAZ"] {
            let c = geo::by_iso3(iso).unwrap();
            let w = Window::around(c);
            assert!(world.contains(&w), "{iso}: {w:?}");
            let (x, y) = (f64::from(c.centre.0), f64::from(c.centre.1));
            assert!(
                w.x0 <= x && x <= w.x1 && w.y0 <= y && y <= w.y1,
                "{iso}'s centre in {w:?}"
            );
            assert!(w.width() >= world.width() * MIN_WIDTH_SHARE - 1e-9);
        }
    }
}

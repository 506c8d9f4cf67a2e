//! Reading the shipped shapes (`countries.tsv`, `land.tsv`) and writing rings as SVG paths.
//!
//! Rings are stored as `x,y,dx,dy,…`: the first point, then steps, rings joined by `;`. Steps
//! are small numbers, which keeps the files (and the SVG written from them) short.

#[cfg(test)]
use std::fmt::Write as _;

use super::{Country, Ring, World};

const COUNTRIES: &str = include_str!("countries.tsv");
const LAND: &str = include_str!("land.tsv");

/// Both shipped files, or what is wrong with them (a bug in `scripts/regen-geo`).
pub(super) fn parse_world() -> Result<World, String> {
    let mut countries = Vec::new();
    for (n, line) in data_lines(COUNTRIES) {
        let country = parse_country(line).map_err(|e| format!("countries.tsv:{n}: {e}"))?;
        countries.push(country);
    }
    // by_iso3 searches by halves.
    if !countries.windows(2).all(|w| w[0].iso3 < w[1].iso3) {
        return Err("countries.tsv is not sorted by iso3".into());
    }
    let mut land = Vec::new();
    for (n, line) in data_lines(LAND) {
        let rings = line.split_once('\t').map(|(_, rings)| parse_rings(rings));
        land.push(
            rings
                .ok_or("no rings")?
                .map_err(|e| format!("land.tsv:{n}: {e}"))?,
        );
    }
    Ok(World { countries, land })
}

/// Lines that hold data, with their 1-based line numbers (`#` starts a comment line).
fn data_lines(text: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

fn parse_country(line: &'static str) -> Result<Country, String> {
    let fields: Vec<&'static str> = line.split('\t').collect();
    // The alpha-2 and numeric codes are for names.tsv's lookups, not needed here.
    let &[iso3, _iso2, _numeric, name, x, y, area, rings] = fields.as_slice() else {
        return Err(format!("{} fields, not 8", fields.len()));
    };
    let number = |s: &str| s.parse::<i32>().map_err(|_| format!("not a number: {s:?}"));
    Ok(Country {
        iso3,
        name,
        rings: parse_rings(rings)?,
        centre: (number(x)?, number(y)?),
        area: f64::from(number(area)?),
    })
}

fn parse_rings(text: &str) -> Result<Vec<Ring>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(';').map(parse_ring).collect()
}

fn parse_ring(text: &str) -> Result<Ring, String> {
    let mut numbers = text.split(',').map(|s| {
        s.parse::<i32>()
            .map_err(|_| format!("not a number in a ring: {s:?}"))
    });
    let mut ring = Vec::with_capacity(text.len() / 6);
    let mut at = (0, 0);
    while let Some(x) = numbers.next() {
        let y = numbers
            .next()
            .ok_or("a ring with an odd count of numbers")?;
        // The first pair is a point, the others are steps from the point before.
        at = if ring.is_empty() {
            (x?, y?)
        } else {
            (at.0 + x?, at.1 + y?)
        };
        ring.push(at);
    }
    if ring.len() < 3 {
        return Err(format!("a ring of {} points", ring.len()));
    }
    Ok(ring)
}

/// Appends SVG path data for `rings` to `out`, in world units and relative moves only:
/// `M x y l dx dy … z`, then `m` from the previous ring's start for each further ring. One
/// path per country keeps its `<title>` on all of its islands; draw with `fill-rule="evenodd"`
/// so holes (Lesotho in South Africa) stay holes. The size budget's measure.
#[cfg(test)]
pub(crate) fn write_path(rings: &[Ring], out: &mut String) {
    let mut start: Option<(i32, i32)> = None;
    for ring in rings {
        let Some(&first) = ring.first() else { continue };
        match start {
            None => {
                out.push('M');
                numbers(out, &[first.0, first.1]);
            }
            Some(prev) => {
                out.push('m');
                numbers(out, &[first.0 - prev.0, first.1 - prev.1]);
            }
        }
        out.push('l');
        let mut steps = Vec::with_capacity(2 * ring.len());
        for w in ring.windows(2) {
            steps.extend([w[1].0 - w[0].0, w[1].1 - w[0].1]);
        }
        numbers(out, &steps);
        out.push('z');
        // After `z` the current point is the ring's first point again.
        start = Some(first);
    }
}

/// Numbers after a path command: a space between two unless the second's minus sign separates them.
#[cfg(test)]
fn numbers(out: &mut String, values: &[i32]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 && *v >= 0 {
            out.push(' ');
        }
        let _ = write!(out, "{v}");
    }
}

/// Whether `point` is inside `rings` by the even-odd rule (as the map fills them).
#[cfg(test)]
pub(super) fn inside(point: (i32, i32), rings: &[Ring]) -> bool {
    let (px, py) = (f64::from(point.0), f64::from(point.1));
    let mut inside = false;
    for ring in rings {
        let mut prev = ring[ring.len() - 1];
        for &p in ring {
            let (ax, ay, bx, by) = (
                f64::from(prev.0),
                f64::from(prev.1),
                f64::from(p.0),
                f64::from(p.1),
            );
            if (ay > py) != (by > py) && px < (bx - ax) * (py - ay) / (by - ay) + ax {
                inside = !inside;
            }
            prev = p;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_read_as_a_point_then_steps() {
        let rings = parse_rings("10,20,5,0,0,5;1,1,1,0,0,1").expect("rings");
        assert_eq!(
            rings,
            [
                vec![(10, 20), (15, 20), (15, 25)],
                vec![(1, 1), (2, 1), (2, 2)]
            ]
        );
        assert_eq!(parse_rings("").expect("no rings"), Vec::<Ring>::new());
    }

    #[test]
    fn broken_rings_are_errors_not_panics() {
        assert!(parse_rings("10,20,5").is_err());
        assert!(parse_rings("10,20,5,x,1,1").is_err());
        assert!(parse_rings("10,20,5,5").is_err(), "two points are no ring");
        assert!(parse_rings("1,1,1,1,1,1;").is_err());
        assert!(parse_country("KOR\tKR\t410").is_err());
    }

    #[test]
    fn paths_are_relative_and_compact() {
        let mut out = String::new();
        let rings = [
            vec![(10, 20), (15, 20), (15, 25)],
            vec![(1, 1), (2, 1), (2, 2)],
        ];
        write_path(&rings, &mut out);
        assert_eq!(out, "M10 20l5 0 0 5zm-9-19l1 0 0 1z");
    }

    #[test]
    fn inside_follows_even_odd() {
        let square = vec![(0, 0), (10, 0), (10, 10), (0, 10)];
        let hole = vec![(4, 4), (6, 4), (6, 6), (4, 6)];
        assert!(inside((2, 2), std::slice::from_ref(&square)));
        assert!(!inside((5, 5), &[square, hole]));
        assert!(!inside((20, 5), &[vec![(0, 0), (10, 0), (10, 10)]]));
    }
}

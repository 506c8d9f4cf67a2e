//! Small multiples as one standalone file (`chart-N.svg`): the file's title, source and note
//! rows as for any chart ([`standalone::rows`]), around a grid of the small charts, two to a
//! row, each under its facet's label.
//!
//! Each small chart is a nested `<svg>` placed by its `x` and `y`, rather than its ops moved
//! into one scene: inside it the chart is drawn in its own coordinates, from the very scene
//! the page draws (laid out once), so its marks carry the page's numbers as they are, and it
//! keeps its own `role="img"`, `<title>` and `<desc>` as its first children, where an
//! accessible name belongs. Translated ops would rewrite every coordinate and still need a
//! group per chart for its title. The nested elements are written by our backend as plotters
//! draws ([`Nest`]), like every other element; the file's own rows are drawn as in
//! [`standalone`], `above` units down.

use plotters::drawing::IntoDrawingArea;
use plotters::element::BackendCoordOnly;

use super::backend::{ChartBackend, Names, Standalone, Units, WrittenAt};
use super::describe::kind_name;
use super::layout::PAD;
use super::scene::Op;
use super::standalone::{self, File, Frame, left_text};
use super::text::{LINE, Label, TEXT_UP, clean};
use super::{Laid, WIDTH, draw};
use crate::model::chart::ChartKind;

/// One small chart of the grid: its facet's label and, when it has numbers, its chart.
pub(crate) struct Cell<'a> {
    pub(crate) label: &'a str,
    pub(crate) chart: Option<&'a Laid>,
}

/// A set of small multiples, as the page's figure shows it.
pub(crate) struct Grid<'a> {
    /// The figure's id (`chart-brief-1`), the file's ids' prefix; each small chart keeps its own.
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) kind: ChartKind,
    /// The facet column (`region`).
    pub(crate) column: &'a str,
    /// Whether every small chart shares one value scale.
    pub(crate) shared: bool,
    pub(crate) cells: &'a [Cell<'a>],
}

/// Small charts side by side: two, as the page's grid shows them on a wide screen, so the
/// file stays a size a page can show and its text readable at that size.
const COLUMNS: usize = 2;
/// Space between the columns and between a row of small charts and the next row's labels.
const GUTTER: f64 = 24.0;
const ROW_GAP: f64 = 16.0;
/// From a cell's top to its chart's: the label's line.
const LABEL: f64 = PAD + LINE;
/// The height of a cell with nothing to draw: its one line saying so.
const EMPTY: f64 = LINE + 2.0 * PAD;
/// What such a cell says, as the page does.
const NO_NUMBERS: &str = "No numbers to chart here.";

/// Where a cell goes: its left and its top, in the grid's coordinates.
struct Place {
    x: f64,
    top: f64,
}

/// The small multiples' standalone file.
pub(crate) fn facet_file(grid: &Grid, frame: &Frame) -> Result<File, String> {
    let (places, width, height) = place(grid.cells);
    let height = height.ceil();
    let rows = standalone::rows(frame, width, height);
    let root = rows.root(width);
    let mut own = rows.ops;
    for (cell, at) in grid.cells.iter().zip(&places) {
        let label = Label::fitted(&clean(cell.label), WIDTH - 2.0 * PAD);
        let y = at.top + PAD + TEXT_UP;
        own.push(left_text(
            label,
            at.x + PAD,
            y,
            "chart-text chart-file-facet",
        ));
        if cell.chart.is_none() {
            let y = at.top + LABEL + PAD + TEXT_UP;
            own.push(left_text(
                Label::new(NO_NUMBERS),
                at.x + PAD,
                y,
                "chart-text",
            ));
        }
    }
    let (title, desc) = (clean(grid.title), describe(grid));
    let names = Names {
        id: grid.id,
        title: &title,
        desc: &desc,
        hatch: false,
    };
    let svg = draw_grid(grid.cells, &places, &names, &own, (&root, height as u32))?;
    Ok(File {
        svg,
        width: width as u32,
        height: root.above + height as u32 + root.below,
        alt: standalone::alt(&title, &desc),
    })
}

fn cell_height(cell: &Cell) -> f64 {
    cell.chart
        .map_or(EMPTY, |laid| f64::from(draw::height(&laid.scene)))
}

/// Each cell's place, row by row, and the grid's width and height. A row is as tall as its
/// tallest chart (free scales may make them differ).
fn place(cells: &[Cell]) -> (Vec<Place>, f64, f64) {
    let columns = COLUMNS.min(cells.len()).max(1);
    let width = columns as f64 * WIDTH + (columns - 1) as f64 * GUTTER;
    let mut places = Vec::with_capacity(cells.len());
    let mut top = 0.0;
    for (r, row) in cells.chunks(columns).enumerate() {
        if r > 0 {
            top += ROW_GAP;
        }
        for c in 0..row.len() {
            let x = c as f64 * (WIDTH + GUTTER);
            places.push(Place { x, top });
        }
        top += LABEL + row.iter().map(cell_height).fold(0.0, f64::max);
    }
    (places, width, top)
}

/// The file's `<desc>`: what the grid is and the facets it shows, in order, and how they
/// compare; each small chart's own `<desc>` says what it shows.
fn describe(grid: &Grid) -> String {
    let kind = kind_name(grid.kind).to_lowercase();
    let title = clean(grid.title);
    let labels: Vec<String> = grid.cells.iter().map(|c| clean(c.label)).collect();
    let n = labels.len();
    let scale = if grid.shared {
        "all on one value scale"
    } else {
        "each on its own value scale"
    };
    let mut d = format!(
        "Small multiples of {kind}s: {title}. {n} small {}, one per {}: {}; {scale}.",
        if n == 1 { "chart" } else { "charts" },
        clean(grid.column),
        labels.join(", ")
    );
    let empty: Vec<&str> = grid
        .cells
        .iter()
        .zip(&labels)
        .filter(|(c, _)| c.chart.is_none())
        .map(|(_, l)| l.as_str())
        .collect();
    if !empty.is_empty() {
        d.push_str(&format!(" No numbers to chart for {}.", empty.join(", ")));
    }
    d.push_str(" Each small chart is described on its own.");
    d
}

/// Draws the file: its own elements (`own`: ground, rows, labels) in the file's coordinates,
/// `above` units down, then each small chart's scene inside its nested `<svg>`.
fn draw_grid(
    cells: &[Cell],
    places: &[Place],
    names: &Names,
    own: &[Op],
    (root, height): (&Standalone, u32),
) -> Result<String, String> {
    let err = |e| format!("the small multiples could not be drawn: {e}");
    let mut out = String::with_capacity(4096 + own.len() * 160);
    {
        let area = ChartBackend::start(&mut out, height, names, Some(root)).into_drawing_area();
        let file = area.apply_coord_spec(Units {
            down: f64::from(root.above),
        });
        // A nested chart's own coordinates: its `<svg>` places it.
        let chart = area.apply_coord_spec(Units { down: 0.0 });
        let text = draw::text_style();
        for op in own {
            draw::draw_op(&file, op, &text).map_err(err)?;
        }
        for (cell, at) in cells.iter().zip(places) {
            let Some(laid) = cell.chart else { continue };
            let (height, names) = (draw::height(&laid.scene), laid.names());
            // The small chart's nested `<svg>`: plotters places its corner like any point.
            let nest = WrittenAt {
                at: [(at.x, at.top + LABEL)],
                write: |backend: &mut ChartBackend, at| backend.open_nested(at, height, &names),
            };
            file.draw::<WrittenAt<_>, BackendCoordOnly>(&nest)
                .map_err(err)?;
            for op in &laid.scene.ops {
                draw::draw_op(&chart, op, &text).map_err(err)?;
            }
            let end = WrittenAt {
                at: [(0.0, 0.0)],
                write: |backend: &mut ChartBackend, _| backend.close_nested(),
            };
            file.draw::<WrittenAt<_>, BackendCoordOnly>(&end)
                .map_err(err)?;
        }
        file.present().map_err(err)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty(n: usize) -> Vec<Cell<'static>> {
        (0..n)
            .map(|_| Cell {
                label: "Oceania",
                chart: None,
            })
            .collect()
    }

    #[test]
    fn cells_go_two_to_a_row_and_rows_do_not_overlap() {
        let cells = empty(5);
        let (places, width, height) = place(&cells);
        assert_eq!(width, 2.0 * WIDTH + GUTTER);
        let row = LABEL + EMPTY + ROW_GAP;
        let at: Vec<(f64, f64)> = places.iter().map(|p| (p.x, p.top)).collect();
        let right = WIDTH + GUTTER;
        assert_eq!(
            at,
            [
                (0.0, 0.0),
                (right, 0.0),
                (0.0, row),
                (right, row),
                (0.0, 2.0 * row)
            ]
        );
        assert_eq!(height, 3.0 * row - ROW_GAP);
        // One small chart alone is as wide as any chart.
        assert_eq!(place(&empty(1)).1, WIDTH);
    }

    #[test]
    fn the_desc_names_every_facet_and_those_without_numbers() {
        let cells = empty(2);
        let grid = Grid {
            id: "c",
            title: "Spend",
            kind: ChartKind::Line,
            column: "region",
            shared: false,
            cells: &cells,
        };
        assert_eq!(
            describe(&grid),
            "Small multiples of line charts: Spend. 2 small charts, one per region: Oceania, \
             Oceania; each on its own value scale. No numbers to chart for Oceania, Oceania. \
             Each small chart is described on its own."
        );
    }
}

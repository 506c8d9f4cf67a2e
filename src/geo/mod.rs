//! TEMPORARY STUB of the geo module (the real one lands from the geo branch).
#![allow(dead_code)]
pub(crate) const WORLD_WIDTH: f64 = 4800.0;
pub(crate) fn world_height() -> f64 {
    2340.0
}
pub(crate) struct Country {
    pub(crate) iso3: &'static str,
    pub(crate) iso2: &'static str,
    pub(crate) numeric: &'static str,
    pub(crate) name: &'static str,
    pub(crate) rings: Vec<Vec<(i32, i32)>>,
    pub(crate) centre: (i32, i32),
    pub(crate) area: f64,
}
fn sq(x: i32, y: i32, s: i32) -> Vec<Vec<(i32, i32)>> {
    vec![vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s)]]
}
pub(crate) fn countries() -> &'static [Country] {
    static C: std::sync::OnceLock<Vec<Country>> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let mk = |iso3, iso2, numeric, name, x, y, s: i32| Country {
            iso3,
            iso2,
            numeric,
            name,
            rings: if s > 0 { sq(x, y, s) } else { vec![] },
            centre: (x + s / 2, y + s / 2),
            area: f64::from(s * s),
        };
        vec![
            mk("FRA", "FR", "250", "France", 2300, 600, 100),
            mk("KAZ", "KZ", "398", "Kazakhstan", 3100, 500, 300),
            mk("KOR", "KR", "410", "South Korea", 3900, 800, 60),
            mk("SGP", "SG", "702", "Singapore", 3600, 1200, 0),
            mk("USA", "US", "840", "United States", 800, 700, 600),
            mk("UZB", "UZ", "860", "Uzbekistan", 3050, 850, 120),
        ]
    })
}
pub(crate) fn unassigned_land() -> &'static [Vec<Vec<(i32, i32)>>] {
    &[]
}
pub(crate) fn by_iso3(code: &str) -> Option<&'static Country> {
    countries().iter().find(|c| c.iso3 == code)
}
pub(crate) enum Place {
    Country(&'static Country),
    NotOneCountry { reason: &'static str },
    Unknown,
}
pub(crate) fn normalise(name: &str) -> String {
    name.trim().to_lowercase()
}
pub(crate) fn place(name: &str) -> Place {
    let n = normalise(name);
    let iso = match n.as_str() {
        "france" | "fra" | "fr" => "FRA",
        "south korea" | "korea, republic of" | "한국" | "kor" => "KOR",
        "kazakhstan" | "қазақстан" => "KAZ",
        "singapore" => "SGP",
        "united states" | "usa" => "USA",
        "uzbekistan" => "UZB",
        "global" | "world" => return Place::NotOneCountry { reason: "the whole world" },
        "european union" | "central asia" => {
            return Place::NotOneCountry { reason: "a region of several countries" };
        }
        "other" => return Place::NotOneCountry { reason: "not a place" },
        _ => return Place::Unknown,
    };
    by_iso3(iso).map_or(Place::Unknown, Place::Country)
}
pub(crate) fn nearest(name: &str) -> Option<&'static str> {
    (normalise(name) == "frnace").then_some("France")
}

//! Fingerprints: 64-bit hashes of what an output is made from, so `briefing serve` can tell,
//! after a save, which pages are made from exactly what they were made from last time.
//!
//! One seed per process, drawn at random: fingerprints are compared only within one run of
//! the server, and a file's content cannot aim for a collision it cannot predict.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::OnceLock;

use tera::Value;
use tera::value::ValueKind;

fn state() -> &'static foldhash::quality::RandomState {
    static STATE: OnceLock<foldhash::quality::RandomState> = OnceLock::new();
    STATE.get_or_init(Default::default)
}

/// A hasher with the process's seed.
pub(crate) fn hasher() -> impl Hasher {
    state().build_hasher()
}

/// The fingerprint of some bytes (a brief's source, a data file).
pub(crate) fn of_bytes(bytes: &[u8]) -> u64 {
    state().hash_one(bytes)
}

/// The fingerprint of anything hashable.
pub(crate) fn of(value: impl Hash) -> u64 {
    state().hash_one(value)
}

/// Feeds a template value into `h`: its kind, then its contents, so values that render
/// differently never feed the same bytes (a string `"1"` is not the number 1; a safe string
/// is not an escaped one). Maps keep their insertion order (tera's `preserve_order`), which
/// is the order the page code builds them in.
pub(crate) fn hash_value(value: &Value, h: &mut impl Hasher) {
    let kind = value.kind();
    kind.hash(h);
    match kind {
        ValueKind::Undefined | ValueKind::None => {}
        ValueKind::Bool => h.write_u8(u8::from(value.is_truthy())),
        ValueKind::U64 | ValueKind::I64 | ValueKind::U128 | ValueKind::I128 => {
            value.as_i128().hash(h);
            value.as_u128().hash(h);
        }
        ValueKind::F64 => value.as_f64().map(f64::to_bits).hash(h),
        ValueKind::String => {
            h.write_u8(u8::from(value.is_safe()));
            value.as_str().unwrap_or_default().hash(h);
        }
        ValueKind::Array => {
            let items = value.as_array().unwrap_or_default();
            h.write_usize(items.len());
            for item in items {
                hash_value(item, h);
            }
        }
        ValueKind::Map => {
            if let Some(map) = value.as_map() {
                h.write_usize(map.len());
                for (key, item) in map {
                    key.hash(h);
                    hash_value(item, h);
                }
            }
        }
        ValueKind::Bytes => value.as_bytes().unwrap_or_default().hash(h),
        // A kind a later tera adds: its text, which is what a template shows of it.
        _ => value.to_string().hash(h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn fp(value: &Value) -> u64 {
        let mut h = hasher();
        hash_value(value, &mut h);
        h.finish()
    }

    #[test]
    fn values_that_render_differently_differ() {
        let one = Value::from(1u64);
        let text = Value::from("1");
        let safe = Value::safe_string("<b>1</b>");
        let escaped = Value::from("<b>1</b>");
        assert_ne!(fp(&one), fp(&text));
        assert_ne!(fp(&safe), fp(&escaped));
        assert_ne!(fp(&Value::from(true)), fp(&Value::from(false)));
        assert_ne!(fp(&Value::none()), fp(&Value::from("")));
        let a = Value::from(vec![Value::from("a"), Value::from("b")]);
        let b = Value::from(vec![Value::from("ab")]);
        assert_ne!(fp(&a), fp(&b));
    }

    #[test]
    fn equal_values_built_apart_agree() {
        let build = |title: &str| {
            Value::from(BTreeMap::from([
                ("title", Value::from(title)),
                ("url", Value::from("/briefs/x/")),
            ]))
        };
        assert_eq!(fp(&build("A")), fp(&build("A")));
        assert_ne!(fp(&build("A")), fp(&build("B")));
    }
}

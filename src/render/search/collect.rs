//! Gathering each brief's search tokens while its page renders, and keeping them compactly
//! until the index is written: token numbers from a shared table, a compact list per brief.

use std::cell::RefCell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use foldhash::HashMap;

use super::Field;
use super::kept::KeptIndex;
use crate::model::Brief;
use crate::model::slug::fnv1a32;
use crate::render::tokens::for_each_token;

/// Gathers each brief's tokens while its page renders, so the index needs no second pass over
/// the bodies. Called from many threads at once: tokens are interned to numbers in a sharded
/// table, and each brief keeps only a compact list of (token number, best field).
pub struct TokenCollector {
    id: usize,
    shards: Vec<Mutex<HashMap<Box<str>, u32>>>,
    next_id: AtomicU32,
    /// Under serve, what the last index kept for the next ([`TokenCollector::keeping`]);
    /// `None` in a build, which makes one index.
    kept: Option<Mutex<Option<KeptIndex>>>,
}

thread_local! {
    /// Each thread's [`Scratch`] for the collector it last worked for.
    static SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

/// Tells collectors apart, so a thread never uses token numbers from an earlier build.
static COLLECTORS: AtomicUsize = AtomicUsize::new(0);

/// A thread's working state: the tokens it has met, each with its number (so the shared table
/// is locked once per new token per thread, not once per brief) and where it stands in the
/// brief being read.
struct Scratch {
    collector: usize,
    /// Tokens of up to 16 bytes, packed into one number: most words are, and a number is
    /// hashed and compared without a call to `memcmp` (a tenth of the whole build's time
    /// went to looking tokens up). Tokens hold no NUL byte, so the zero padding is unique.
    short: HashMap<u128, Slot>,
    known: HashMap<Box<str>, Slot>,
    stamp: u32,
    /// The current brief's tokens, `(token number << 2) | best field`, in order of meeting.
    codes: Vec<u32>,
}

/// A token's number, and the brief (`stamp`) it was last met in with its place in that
/// brief's `codes`: kept in the table's own entry, which the lookup has just read, rather than
/// in arrays by number that cost a second and third miss a token.
#[derive(Clone, Copy)]
struct Slot {
    id: u32,
    stamp: u32,
    at: u32,
}

impl Scratch {
    fn new(collector: usize) -> Self {
        Scratch {
            collector,
            short: HashMap::default(),
            known: HashMap::default(),
            stamp: 0,
            codes: Vec::new(),
        }
    }

    fn start_brief(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            // After 2^32 briefs on one thread: forget every stamp rather than misread one.
            self.short.values_mut().for_each(|s| s.stamp = 0);
            self.known.values_mut().for_each(|s| s.stamp = 0);
            self.stamp = 1;
        }
        self.codes.clear();
    }

    fn add(&mut self, collector: &TokenCollector, text: &str, field: Field) {
        let field = field as u32;
        let (stamp, codes) = (self.stamp, &mut self.codes);
        for_each_token(text, |token| {
            let slot = match packed(token) {
                Some(key) => self
                    .short
                    .entry(key)
                    .or_insert_with(|| Slot::new(collector.intern(token))),
                None => match self.known.get_mut(token) {
                    Some(slot) => slot,
                    None => self
                        .known
                        .entry(Box::from(token))
                        .or_insert_with(|| Slot::new(collector.intern(token))),
                },
            };
            if slot.stamp != stamp {
                slot.stamp = stamp;
                slot.at = codes.len() as u32;
                codes.push((slot.id << 2) | field);
            } else {
                let code = &mut codes[slot.at as usize];
                *code = (*code & !3) | (*code & 3).min(field);
            }
        });
    }
}

impl Slot {
    fn new(id: u32) -> Self {
        Slot {
            id,
            stamp: 0,
            at: 0,
        }
    }
}

/// `token`'s bytes as one number (little-endian, zero above), when it has at most 16.
///
/// Read as two overlapping words rather than copied into a buffer and loaded back: the
/// buffer's load waited on the copy's stores, a quarter of this lookup's time.
fn packed(token: &str) -> Option<u128> {
    let b = token.as_bytes();
    let n = b.len();
    // Bytes `from..from + w` as a little-endian number, `w` at most 8.
    let word = |from: usize, w: usize| -> u64 {
        match w {
            8 => u64::from_le_bytes(b[from..from + 8].try_into().unwrap_or_default()),
            4 => u64::from(u32::from_le_bytes(
                b[from..from + 4].try_into().unwrap_or_default(),
            )),
            _ => b[from..from + w]
                .iter()
                .rev()
                .fold(0, |acc, &x| (acc << 8) | u64::from(x)),
        }
    };
    // The overlapping bytes are the same in both words, so `|` joins them exactly.
    let (low, high) = match n {
        0..4 => (word(0, n), 0),
        4..8 => (word(0, 4) | word(n - 4, 4) << (8 * (n - 4)), 0),
        8 => (word(0, 8), 0),
        9..=16 => (word(0, 8), word(n - 8, 8) >> (8 * (16 - n))),
        _ => return None,
    };
    Some(u128::from(low) | u128::from(high) << 64)
}

/// One brief's tokens: `(token number << 2) | field`, ascending, as LEB128 gaps. About a byte
/// and a half per token, so 100,000 briefs' lists stay within tens of megabytes. Shared:
/// serve hands every unchanged brief's list from one render to the next (copying them was
/// tens of megabytes a save at 10,000 briefs).
#[derive(Debug, Default, Clone)]
pub struct BriefTokens(pub(super) std::sync::Arc<[u8]>);

/// Shards of the interning table: enough that threads rarely wait on one another.
const INTERN_SHARDS: usize = 64;

impl Default for TokenCollector {
    fn default() -> Self {
        TokenCollector {
            id: COLLECTORS.fetch_add(1, Ordering::Relaxed),
            shards: (0..INTERN_SHARDS)
                .map(|_| Mutex::new(HashMap::default()))
                .collect(),
            next_id: AtomicU32::new(0),
            kept: None,
        }
    }
}

impl TokenCollector {
    /// A collector for `briefing serve`, which builds the index again after every save: it
    /// keeps what each index computed for the next.
    pub fn keeping() -> Self {
        TokenCollector {
            kept: Some(Mutex::new(None)),
            ..Default::default()
        }
    }

    /// What the last index kept, if anything.
    pub(super) fn take_index(&self) -> Option<KeptIndex> {
        let slot = self.kept.as_ref()?;
        slot.lock().ok()?.take()
    }

    /// Keeps `index` for the next index, when this collector keeps anything.
    pub(super) fn keep_index(&self, index: KeptIndex) {
        if let Some(slot) = &self.kept
            && let Ok(mut slot) = slot.lock()
        {
            *slot = Some(index);
        }
    }

    /// The tokens of a brief's title, regions, tags, summary and body text, each with the best
    /// field it appears in.
    pub fn brief(&self, brief: &Brief, body_text: &str) -> BriefTokens {
        SCRATCH.with(|cell| {
            let mut slot = cell.borrow_mut();
            let scratch = match &mut *slot {
                Some(s) if s.collector == self.id => s,
                other => other.insert(Scratch::new(self.id)),
            };
            scratch.start_brief();
            let front = &brief.front;
            scratch.add(self, &front.title, Field::Heading);
            for region in &front.regions {
                scratch.add(self, region, Field::Heading);
            }
            for tag in &front.tags {
                scratch.add(self, tag, Field::Tag);
            }
            if let Some(summary) = &front.summary {
                scratch.add(self, summary, Field::Summary);
            }
            scratch.add(self, body_text, Field::Body);
            scratch.codes.sort_unstable();
            BriefTokens(encode_gaps(&scratch.codes))
        })
    }

    fn intern(&self, token: &str) -> u32 {
        let shard = &self.shards[fnv1a32(token.as_bytes()) as usize % INTERN_SHARDS];
        let mut table = match shard.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(&id) = table.get(token) {
            return id;
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        table.insert(Box::from(token), id);
        id
    }

    /// Every token, by number. The collector stays usable: `briefing serve` gathers an
    /// edited brief's tokens with it again, and builds the index once more.
    pub(super) fn vocabulary(&self) -> Vec<Box<str>> {
        let n = self.next_id.load(Ordering::Relaxed) as usize;
        let mut vocabulary: Vec<Box<str>> = vec![Box::from(""); n];
        for shard in &self.shards {
            let table = match shard.lock() {
                Ok(t) => t,
                Err(poisoned) => poisoned.into_inner(),
            };
            for (token, &id) in table.iter() {
                if let Some(slot) = vocabulary.get_mut(id as usize) {
                    *slot = token.clone();
                }
            }
        }
        vocabulary
    }
}

pub(super) fn encode_gaps(sorted: &[u32]) -> std::sync::Arc<[u8]> {
    let mut out = Vec::with_capacity(sorted.len() * 2);
    let mut previous = 0u32;
    for &value in sorted {
        let mut gap = value - previous;
        previous = value;
        while gap >= 0x80 {
            out.push((gap as u8) | 0x80);
            gap >>= 7;
        }
        out.push(gap as u8);
    }
    out.into()
}

pub(super) fn decode_gaps(bytes: &[u8]) -> Vec<u32> {
    let mut cursor = Cursor::new(bytes);
    std::iter::from_fn(|| cursor.next_below(u32::MAX)).collect()
}

/// Reads a list written by [`encode_gaps`] in order.
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    value: u32,
    /// The value read ahead, not yet taken.
    pending: Option<u32>,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Cursor {
            bytes,
            at: 0,
            value: 0,
            pending: None,
        }
    }

    /// The next value if it is below `limit`; it stays for a later call otherwise.
    pub(super) fn next_below(&mut self, limit: u32) -> Option<u32> {
        if self.pending.is_none() && self.at < self.bytes.len() {
            let (mut gap, mut shift) = (0u32, 0);
            while let Some(&byte) = self.bytes.get(self.at) {
                self.at += 1;
                gap |= u32::from(byte & 0x7f) << shift;
                shift += 7;
                if byte < 0x80 {
                    break;
                }
            }
            self.value += gap;
            self.pending = Some(self.value);
        }
        match self.pending {
            Some(v) if v < limit => {
                self.pending = None;
                Some(v)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_up_to_16_bytes_pack_as_their_bytes_and_longer_ones_do_not() {
        let word = "abcdefghijklmnopq";
        for n in 0..=16 {
            let mut bytes = [0u8; 16];
            bytes[..n].copy_from_slice(&word.as_bytes()[..n]);
            assert_eq!(packed(&word[..n]), Some(u128::from_le_bytes(bytes)), "{n}");
        }
        assert_eq!(packed(word), None);
    }

    #[test]
    fn token_lists_read_back_in_order_and_stop_at_a_limit() {
        let values = [0, 1, 127, 128, 300, 16_384, 1 << 30];
        let bytes = encode_gaps(&values);
        assert_eq!(decode_gaps(&bytes), values);
        let mut cursor = Cursor::new(&bytes);
        assert_eq!(cursor.next_below(128), Some(0));
        assert_eq!(cursor.next_below(128), Some(1));
        assert_eq!(cursor.next_below(128), Some(127));
        assert_eq!(cursor.next_below(128), None);
        assert_eq!(cursor.next_below(128), None);
        assert_eq!(cursor.next_below(u32::MAX), Some(128));
    }
}

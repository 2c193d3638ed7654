//! The wasm `audit`'s visits handed to JS as a tape of 32-bit words, which
//! `tape.js` turns into the same values `JSON.parse` would give for the
//! contract's JSON of each visit.
//!
//! Why not JSON: for 100,000 visits the JSON is 370 MB holding 6.5 million
//! strings of which only 380,000 differ (titles, help, explanation sentences,
//! table dates repeat on every visit). `JSON.parse` makes a new string for
//! each, and the collector then copies them all; escaping and decoding that
//! text cost as much again. On the tape a string still in the cache is a
//! number, so JS shares one copy of it, and nothing is escaped or parsed.
//!
//! A word is `payload << 4 | tag`. Strings travel in `text` (UTF-8, decoded by
//! JS once per part), each with its length in UTF-16 units in `lens`, in the
//! order the words ask for them. Short strings go through a cache of
//! [`SLOTS`] slots, one per hash, here and in JS alike: a string found in its
//! slot is sent as the slot's number; one that is not takes the slot over and
//! is sent with its text. A string used on every visit keeps its slot; one used
//! once (a visit id) passes through and leaves, and the cache never grows.
//! Literals (`&'static str`: keys, enum names, titles) have [`KEY_SLOTS`] slots
//! of their own after those, found by their address.

use serde::Serialize;
use serde::ser;

const NULL: u32 = 0;
const FALSE: u32 = 1;
const TRUE: u32 = 2;
/// A whole number below 2^28, in the payload.
const INT: u32 = 3;
/// A number from `floats` (the payload is its index).
const FLOAT: u32 = 4;
/// A cached string: the payload is its slot.
const CACHED: u32 = 5;
/// A string used once: its text is next in `text`.
const ONCE: u32 = 6;
/// A list: the payload is its length, the items follow.
const LIST: u32 = 7;
/// An object: the payload is its number of keys, key and value pairs follow.
const OBJECT: u32 = 8;
/// A string that takes over the slot in the payload: its text is next in `text`.
const CACHE: u32 = 9;

const SMALL: u64 = 1 << 28;
/// Longer strings (a long message, a visit's statement) are sent each time:
/// they name the visit's own codes and minutes, so they rarely repeat.
const MAX_CACHED_LEN: usize = 256;
/// The string cache's slots (a power of two).
const SLOTS: usize = 1 << 14;
/// Slots after those for literals (the keys of objects, enum names, titles and
/// texts fixed in the program: `&'static str`), found by where the text lies
/// in the module: no hashing of its bytes, which the ten million keys and
/// three million literals of 100,000 visits would cost.
const KEY_BITS: u32 = 12;
const KEY_SLOTS: usize = 1 << KEY_BITS;
/// The JS table's length.
pub const TABLE: usize = SLOTS + KEY_SLOTS;

/// A tape being written: the words, numbers and strings of one part, and the
/// string cache of the whole audit.
pub struct Tape {
    pub words: Vec<u32>,
    pub floats: Vec<f64>,
    pub text: String,
    pub lens: Vec<u32>,
    /// Each slot's string: its hash, its length and its bytes (at
    /// `slot * MAX_CACHED_LEN` in `cached`), to tell a collision apart.
    hashes: Vec<u64>,
    cached_lens: Vec<u16>,
    cached: Vec<u8>,
    /// Each literal slot's text: its address and length.
    keys: Vec<(usize, usize)>,
    /// Where [`ser::Serializer::collect_str`] renders.
    scratch: String,
}

impl Default for Tape {
    fn default() -> Self {
        Tape {
            words: Vec::new(),
            floats: Vec::new(),
            text: String::new(),
            lens: Vec::new(),
            // Length u16::MAX marks an empty slot: no string matches it.
            hashes: vec![0; SLOTS],
            cached_lens: vec![u16::MAX; SLOTS],
            cached: vec![0; SLOTS * MAX_CACHED_LEN],
            keys: vec![(0, 0); KEY_SLOTS],
            scratch: String::new(),
        }
    }
}

/// A value the tape cannot hold (none in the contract's results).
#[derive(Debug)]
pub struct Unsupported(String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

/// Whether two byte strings are equal, eight bytes at a time (wasm's `memcmp`
/// goes a byte at a time).
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    for (p, q) in (&mut x).zip(&mut y) {
        let (mut u, mut v) = ([0u8; 8], [0u8; 8]);
        u.copy_from_slice(p);
        v.copy_from_slice(q);
        if u64::from_ne_bytes(u) != u64::from_ne_bytes(v) {
            return false;
        }
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// A string's slot hash: its length and its bytes eight at a time, or for a
/// long one (a sentence) its first 16, middle 8 and last 16 bytes: slot and
/// hash only pick where to look, the bytes are compared in full on a match.
fn hash(b: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let word = |at: usize| {
        let mut w = [0u8; 8];
        let end = b.len().min(at + 8);
        w[..end - at].copy_from_slice(&b[at..end]);
        u64::from_le_bytes(w)
    };
    let mut h = b.len() as u64;
    let mut mix = |w: u64| h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    if b.len() > 40 {
        let n = b.len();
        for at in [0, 8, n / 2 - 4, n - 16, n - 8] {
            mix(word(at));
        }
    } else {
        for at in (0..b.len()).step_by(8) {
            mix(word(at));
        }
    }
    h
}

fn utf16_len(s: &str) -> u32 {
    let n = if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    };
    n as u32
}

impl Tape {
    /// Starts a new part (the string cache is kept for the whole audit).
    pub fn clear_part(&mut self) {
        self.words.clear();
        self.floats.clear();
        self.text.clear();
        self.lens.clear();
    }

    /// Bytes in the current part.
    pub fn part_bytes(&self) -> usize {
        self.words.len() * 4 + self.floats.len() * 8 + self.text.len() + self.lens.len() * 4
    }

    fn fresh(&mut self, s: &str) {
        self.text.push_str(s);
        self.lens.push(utf16_len(s));
    }

    pub fn str(&mut self, s: &str) {
        let b = s.as_bytes();
        if b.len() <= MAX_CACHED_LEN {
            let h = hash(b);
            let slot = (h ^ (h >> 32)) as usize & (SLOTS - 1);
            let at = slot * MAX_CACHED_LEN;
            let kept = &mut self.cached[at..at + b.len()];
            if self.hashes[slot] == h && usize::from(self.cached_lens[slot]) == b.len() && same(kept, b) {
                self.words.push((slot as u32) << 4 | CACHED);
                return;
            }
            kept.copy_from_slice(b);
            self.hashes[slot] = h;
            self.cached_lens[slot] = b.len() as u16;
            self.fresh(s);
            self.words.push((slot as u32) << 4 | CACHE);
            return;
        }
        self.fresh(s);
        self.words.push(ONCE);
    }

    /// A literal: an object's key, an enum's name, a text fixed in the program
    /// (the same text at the same address each time).
    pub fn key(&mut self, k: &'static str) {
        let id = (k.as_ptr() as usize, k.len());
        // Fibonacci hashing of address and length: the top bits are the slot.
        let mixed = (id.0 as u64 ^ (id.1 as u64) << 32).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let slot = (mixed >> (64 - KEY_BITS)) as usize;
        let word = ((SLOTS + slot) as u32) << 4;
        if self.keys[slot] == id {
            self.words.push(word | CACHED);
        } else {
            self.keys[slot] = id;
            self.fresh(k);
            self.words.push(word | CACHE);
        }
    }

    pub fn num(&mut self, n: u64) {
        if n < SMALL {
            self.words.push((n as u32) << 4 | INT);
        } else {
            self.float(n as f64);
        }
    }

    /// A number; `null` for NaN and the infinities, as serde_json writes them.
    pub fn float(&mut self, f: f64) {
        if f.is_finite() {
            self.words.push((self.floats.len() as u32) << 4 | FLOAT);
            self.floats.push(f);
        } else {
            self.words.push(NULL);
        }
    }

    /// Opens a list or an object; [`Tape::close`] writes its count.
    pub fn open(&mut self) -> usize {
        self.words.push(0);
        self.words.len() - 1
    }

    pub fn close_list(&mut self, at: usize, items: u32) {
        self.words[at] = items << 4 | LIST;
    }

    pub fn close_object(&mut self, at: usize, keys: u32) {
        self.words[at] = keys << 4 | OBJECT;
    }

    pub fn value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Unsupported> {
        v.serialize(self)
    }
}

/// A list or object being serialised: where its count goes, and the count.
pub struct Open<'a> {
    tape: &'a mut Tape,
    at: usize,
    n: u32,
    object: bool,
}

impl Open<'_> {
    fn end(self) -> Result<(), Unsupported> {
        if self.object {
            self.tape.close_object(self.at, self.n);
        } else {
            self.tape.close_list(self.at, self.n);
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Tape {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Open<'a>;
    type SerializeTuple = Open<'a>;
    type SerializeTupleStruct = Open<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = Open<'a>;
    type SerializeStruct = Open<'a>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.words.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        match u64::try_from(v) {
            Ok(n) => self.num(n),
            Err(_) => self.float(v as f64),
        }
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.num(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.str(v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unsupported> {
        // serde_json writes bytes as a list of numbers.
        let at = self.open();
        for &b in v {
            self.num(b.into());
        }
        self.close_list(at, v.len() as u32);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Unsupported> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.words.push(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unsupported> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Unsupported> {
        self.key(variant);
        Ok(())
    }
    fn collect_str<T: std::fmt::Display + ?Sized>(self, v: &T) -> Result<(), Unsupported> {
        // A message rendered from its template: into one reused buffer, not a
        // new `String` each time.
        use std::fmt::Write;
        let mut s = std::mem::take(&mut self.scratch);
        s.clear();
        let _ = write!(s, "{v}");
        self.str(&s);
        self.scratch = s;
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), Unsupported> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Unsupported> {
        // `{"Variant": value}`, as serde_json writes it.
        let at = self.open();
        self.str(variant);
        v.serialize(&mut *self)?;
        self.close_object(at, 1);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Open<'a>, Unsupported> {
        let at = self.open();
        Ok(Open {
            tape: self,
            at,
            n: 0,
            object: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Open<'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Open<'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported(format!(
            "{name}::{variant}: tuple variants have no place in the audit's results"
        )))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Open<'a>, Unsupported> {
        let at = self.open();
        Ok(Open {
            tape: self,
            at,
            n: 0,
            object: true,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Open<'a>, Unsupported> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported(format!(
            "{name}::{variant}: struct variants have no place in the audit's results"
        )))
    }
}

impl ser::SerializeSeq for Open<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Unsupported> {
        self.n += 1;
        v.serialize(&mut *self.tape)
    }
    fn end(self) -> Result<(), Unsupported> {
        Open::end(self)
    }
}

impl ser::SerializeTuple for Open<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Unsupported> {
        Open::end(self)
    }
}

impl ser::SerializeTupleStruct for Open<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Unsupported> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Unsupported> {
        Open::end(self)
    }
}

impl ser::SerializeMap for Open<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Unsupported> {
        self.n += 1;
        k.serialize(&mut *self.tape)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Unsupported> {
        v.serialize(&mut *self.tape)
    }
    fn end(self) -> Result<(), Unsupported> {
        Open::end(self)
    }
}

impl ser::SerializeStruct for Open<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Unsupported> {
        self.n += 1;
        self.tape.key(key);
        v.serialize(&mut *self.tape)
    }
    fn end(self) -> Result<(), Unsupported> {
        Open::end(self)
    }
}

/// A visit as `ptbill audit --format json` writes it (the audit's JSON sink,
/// `visit_full_json`): id, rows, payer, the input visit, the report.
pub fn visit_full(t: &mut Tape, r: &crate::audit::VisitResult) -> Result<(), Unsupported> {
    let at = t.open();
    let mut keys = 4;
    t.key("visit_id");
    t.str(&r.visit_id);
    t.key("rows");
    t.value(&r.rows)?;
    if let Some(p) = &r.payer_name {
        keys += 1;
        t.key("payer_name");
        t.str(p);
    }
    t.key("visit");
    visit(t, &r.visit)?;
    t.key("report");
    t.value(&r.report)?;
    t.close_object(at, keys);
    Ok(())
}

/// The input visit with the keys, order and omissions of `push_visit` in the
/// audit's sinks (which follow `visit_to_value`).
fn visit(t: &mut Tape, v: &crate::Visit) -> Result<(), Unsupported> {
    let at = t.open();
    let mut keys = 7;
    t.key("date_of_service");
    t.str(std::str::from_utf8(&v.date_of_service.iso_bytes()).unwrap_or_default());
    t.key("diagnoses");
    t.value(&v.diagnoses)?;
    t.key("discipline");
    t.value(&v.discipline)?;
    t.key("lines");
    let list = t.open();
    for l in &v.lines {
        let line = t.open();
        let mut n = 1;
        if l.assistant_minutes > 0 {
            n += 1;
            t.key("assistant_minutes");
            t.num(l.assistant_minutes.into());
        }
        t.key("code");
        t.str(&l.code);
        if let Some(m) = l.minutes {
            n += 1;
            t.key("minutes");
            t.num(m.into());
        }
        if l.modifiers_given {
            n += 1;
            t.key("modifiers");
            t.value(&l.modifiers)?;
        }
        if let Some(u) = l.units {
            n += 1;
            t.key("units");
            t.num(u.into());
        }
        t.close_object(line, n);
    }
    t.close_list(list, v.lines.len() as u32);
    t.key("method");
    t.value(&v.method)?;
    t.key("payer");
    t.value(&v.payer)?;
    t.key("setting");
    t.value(&v.setting)?;
    if let Some(c) = v.ytd_allowed_cents {
        keys += 1;
        t.key("ytd_allowed");
        t.float(c as f64 / 100.0);
    }
    t.close_object(at, keys);
    Ok(())
}

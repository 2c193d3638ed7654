//! A finding's text as a template and its arguments, rendered only when a door
//! shows it. The batch audit checks a hundred thousand visits and mostly counts
//! their findings, so a finding builds no text until it is read, and the audit's
//! CSV writes it straight into its output buffer.
//!
//! [`msg!`](crate::msg) makes one: `msg!("{code} is not paid with {other}.", code, other)`.
//! Every `{name}` takes the next argument, and the names are checked against
//! the arguments when the crate compiles (so two swapped arguments do not build).
//! `{name:?}` quotes the argument as Rust's `{:?}` would; `{{` and `}}` are braces.

use crate::date::Date;
use std::fmt;
use std::sync::OnceLock;

/// The most arguments one template takes.
pub const MAX_ARGS: usize = 6;

/// Texts up to this many bytes are copied inline (codes, modifiers, ICD-10-CM
/// codes with their dot), so an argument needs no allocation.
const SHORT: usize = 15;

/// One argument of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A text that lives for the program.
    Static(&'static str),
    /// A short text, copied inline.
    Short(Short),
    /// A longer text.
    Text(Box<str>),
    /// A whole number.
    Num(u64),
    /// A date (`YYYY-MM-DD`).
    Date(Date),
    /// A count of units in words ("1 unit", "3 units").
    Units(u64),
    /// A count of minutes in words ("1 minute", "12 minutes").
    Minutes(u64),
}

/// A text of at most [`SHORT`] bytes, held inline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Short {
    len: u8,
    bytes: [u8; SHORT],
}

impl Short {
    fn as_str(&self) -> &str {
        // Copied whole from a `str`, so always UTF-8.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Debug for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Arg {
    /// A borrowed text, copied (inline when short).
    pub fn text(s: &str) -> Arg {
        if s.len() <= SHORT {
            let mut bytes = [0u8; SHORT];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Arg::Short(Short {
                len: s.len() as u8,
                bytes,
            })
        } else {
            Arg::Text(s.into())
        }
    }

    fn write<W: fmt::Write + ?Sized>(&self, out: &mut W, quoted: bool) -> fmt::Result {
        let s = match self {
            Arg::Static(s) => s,
            Arg::Short(s) => s.as_str(),
            Arg::Text(s) => s,
            Arg::Num(n) => return write_number(out, *n),
            Arg::Date(d) => return write!(out, "{d}"),
            Arg::Units(n) => {
                write_number(out, *n)?;
                return out.write_str(if *n == 1 { " unit" } else { " units" });
            }
            Arg::Minutes(n) => {
                write_number(out, *n)?;
                return out.write_str(if *n == 1 { " minute" } else { " minutes" });
            }
        };
        if quoted { write!(out, "{s:?}") } else { out.write_str(s) }
    }
}

impl Arg {
    /// Appends the argument to a byte buffer: the same text as [`Arg::write`],
    /// without the formatting machinery (a short text is copied as its bytes).
    fn write_bytes(&self, out: &mut Vec<u8>, quoted: bool) {
        if quoted {
            struct Bytes<'a>(&'a mut Vec<u8>);
            impl fmt::Write for Bytes<'_> {
                fn write_str(&mut self, s: &str) -> fmt::Result {
                    self.0.extend_from_slice(s.as_bytes());
                    Ok(())
                }
            }
            // Writing into a Vec cannot fail.
            let _ = self.write(&mut Bytes(out), true);
            return;
        }
        let mut buf = [0u8; 20];
        match self {
            Arg::Static(s) => out.extend_from_slice(s.as_bytes()),
            Arg::Short(s) => out.extend_from_slice(&s.bytes[..usize::from(s.len)]),
            Arg::Text(s) => out.extend_from_slice(s.as_bytes()),
            Arg::Num(n) => out.extend_from_slice(decimal(&mut buf, *n)),
            Arg::Date(d) => out.extend_from_slice(&d.iso_bytes()),
            Arg::Units(n) => {
                out.extend_from_slice(decimal(&mut buf, *n));
                out.extend_from_slice(if *n == 1 { b" unit" } else { b" units" });
            }
            Arg::Minutes(n) => {
                out.extend_from_slice(decimal(&mut buf, *n));
                out.extend_from_slice(if *n == 1 { b" minute" } else { b" minutes" });
            }
        }
    }
}

impl From<&'static str> for Arg {
    fn from(s: &'static str) -> Arg {
        Arg::Static(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::text(s)
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        if s.len() <= SHORT {
            Arg::text(&s)
        } else {
            Arg::Text(s.into_boxed_str())
        }
    }
}
impl From<Date> for Arg {
    fn from(d: Date) -> Arg {
        Arg::Date(d)
    }
}
impl From<&Date> for Arg {
    fn from(d: &Date) -> Arg {
        Arg::Date(*d)
    }
}
macro_rules! from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Num(n as u64)
            }
        }
    )*};
}
from_number!(u8, u16, u32, u64, usize);

/// A finding's message or help.
pub struct Message {
    body: Body,
    /// The text, once a caller has asked for it as a `&str`.
    rendered: OnceLock<String>,
}

#[derive(Clone)]
enum Body {
    Static(&'static str),
    Owned(String),
    Template {
        template: &'static str,
        /// Where its placeholders are, when found at compile time.
        plan: Option<&'static Plan>,
        args: [Arg; MAX_ARGS],
    },
}

/// Where a template's placeholders are: found when the crate compiles (by
/// [`msg!`](crate::msg)), so rendering copies the pieces between them without
/// searching the text again.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Per placeholder: the byte where its `{` is, and the byte after its `}`
    /// with [`QUOTED`] set for `{name:?}` (kept small: every template has one).
    cuts: [(u16, u16); MAX_ARGS],
    /// Placeholders in the template.
    n: u8,
}

/// The flag of a `{name:?}` placeholder in [`Plan`]'s cuts.
const QUOTED: u16 = 1 << 15;

impl Plan {
    /// The plan of `template`, or `None` when it has `{{` or `}}` escapes or is
    /// too long (such a template is searched when rendered instead).
    pub const fn of(template: &str) -> Option<Plan> {
        let t = template.as_bytes();
        if t.len() >= QUOTED as usize {
            return None;
        }
        let mut cuts = [(0u16, 0u16); MAX_ARGS];
        let mut n = 0;
        let mut i = 0;
        while i < t.len() {
            if t[i] == b'}' {
                return None;
            }
            if t[i] == b'{' {
                if i + 1 < t.len() && t[i + 1] == b'{' {
                    return None;
                }
                let mut end = i + 1;
                while end < t.len() && t[end] != b'}' {
                    end += 1;
                }
                if end == t.len() || n == MAX_ARGS {
                    return None;
                }
                let quoted = end >= i + 3 && t[end - 2] == b':' && t[end - 1] == b'?';
                cuts[n] = (i as u16, (end + 1) as u16 | if quoted { QUOTED } else { 0 });
                n += 1;
                i = end + 1;
                continue;
            }
            i += 1;
        }
        Some(Plan { cuts, n: n as u8 })
    }
}

const NO_ARG: Arg = Arg::Static("");

impl Message {
    /// A template and its arguments (use [`msg!`](crate::msg), which checks them).
    pub fn template<const N: usize>(template: &'static str, args: [Arg; N]) -> Message {
        Message::planned(template, &None, args)
    }

    /// [`Message::template`] with the template's [`Plan`] (what [`msg!`](crate::msg) calls).
    // Natively inlined into each finding's call site, so the message is built
    // where it goes instead of copied there (a message is some 200 bytes);
    // the page's module keeps one copy, for size.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn planned<const N: usize>(template: &'static str, plan: &'static Option<Plan>, args: [Arg; N]) -> Message {
        const { assert!(N <= MAX_ARGS, "too many template arguments") };
        let mut all = [NO_ARG; MAX_ARGS];
        for (slot, a) in all.iter_mut().zip(args) {
            *slot = a;
        }
        Message {
            body: Body::Template {
                template,
                plan: plan.as_ref(),
                args: all,
            },
            rendered: OnceLock::new(),
        }
    }

    /// Writes the text into `out` (the audit's sinks write into their buffers).
    pub fn write_to(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match (&self.body, self.rendered.get()) {
            (_, Some(s)) => out.write_str(s),
            (Body::Static(s), _) => out.write_str(s),
            (Body::Owned(s), _) => out.write_str(s),
            (Body::Template { template, args, .. }, _) => render(template, args, out),
        }
    }

    /// Appends the text to a byte buffer (the audit's CSV sink): the same text
    /// as [`Message::write_to`], without a call through `dyn Write` per piece.
    pub fn write_bytes(&self, out: &mut Vec<u8>) {
        struct Bytes<'a>(&'a mut Vec<u8>);
        impl fmt::Write for Bytes<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                self.0.extend_from_slice(s.as_bytes());
                Ok(())
            }
        }
        match (&self.body, self.rendered.get()) {
            (_, Some(s)) => out.extend_from_slice(s.as_bytes()),
            (Body::Static(s), _) => out.extend_from_slice(s.as_bytes()),
            (Body::Owned(s), _) => out.extend_from_slice(s.as_bytes()),
            (
                Body::Template {
                    template,
                    plan: Some(plan),
                    args,
                },
                _,
            ) => {
                let t = template.as_bytes();
                let mut at = 0;
                for (&(open, close), a) in plan.cuts[..usize::from(plan.n)].iter().zip(args) {
                    out.extend_from_slice(&t[at..usize::from(open)]);
                    a.write_bytes(out, close & QUOTED != 0);
                    at = usize::from(close & !QUOTED);
                }
                out.extend_from_slice(&t[at..]);
            }
            // Writing into a Vec cannot fail.
            (Body::Template { template, args, .. }, _) => {
                let _ = render(template, args, &mut Bytes(out));
            }
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.body {
            Body::Static(s) => s,
            Body::Owned(s) => s,
            Body::Template { .. } => self.rendered.get_or_init(|| self.to_string()),
        }
    }

    /// The text, owned.
    pub fn into_owned(self) -> String {
        match self.body {
            Body::Owned(s) => s,
            _ => self.as_str().to_string(),
        }
    }
}

/// The decimal digits of `n`, written into `buf` without the formatting
/// machinery (the audit writes a few hundred thousand numbers).
pub fn decimal(buf: &mut [u8; 20], mut n: u64) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// A whole number in decimal (see [`decimal`]).
fn write_number<W: fmt::Write + ?Sized>(out: &mut W, n: u64) -> fmt::Result {
    let mut buf = [0u8; 20];
    // ASCII digits only.
    out.write_str(std::str::from_utf8(decimal(&mut buf, n)).unwrap_or("0"))
}

/// Writes `template` with its `{…}` placeholders replaced by `args` in order.
fn render<W: fmt::Write + ?Sized>(template: &str, args: &[Arg], out: &mut W) -> fmt::Result {
    let mut rest = template;
    let mut next = args.iter();
    while let Some(at) = memchr::memchr2(b'{', b'}', rest.as_bytes()) {
        out.write_str(&rest[..at])?;
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.write_str(&tail[..1])?;
            rest = &tail[2..];
            continue;
        }
        let end = memchr::memchr(b'}', tail.as_bytes()).unwrap_or(tail.len() - 1);
        let quoted = tail[..end].ends_with(":?");
        if let Some(a) = next.next() {
            a.write(out, quoted)?;
        }
        rest = &tail[end + 1..];
    }
    out.write_str(rest)
}

/// Checks, when the crate compiles, that `template` has one placeholder per
/// argument and that each placeholder's name appears in its argument's text
/// (`{code}` for `code`, `&code` or `Arg::text(code)`).
pub const fn check_template(template: &str, args: &[&str]) {
    let t = template.as_bytes();
    let mut i = 0;
    let mut k = 0;
    while i < t.len() {
        if t[i] == b'{' && i + 1 < t.len() && t[i + 1] == b'{' {
            i += 2;
            continue;
        }
        if t[i] == b'{' {
            let start = i + 1;
            let mut end = start;
            while end < t.len() && t[end] != b'}' && t[end] != b':' {
                end += 1;
            }
            assert!(k < args.len(), "a template has more placeholders than arguments");
            assert!(
                contains(args[k].as_bytes(), t, start, end),
                "a placeholder does not name its argument"
            );
            k += 1;
            while end < t.len() && t[end] != b'}' {
                end += 1;
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    assert!(k == args.len(), "a template has more arguments than placeholders");
}

/// Whether `hay` contains `t[start..end]`.
const fn contains(hay: &[u8], t: &[u8], start: usize, end: usize) -> bool {
    let n = end - start;
    if n == 0 {
        return true;
    }
    let mut i = 0;
    while i + n <= hay.len() {
        let mut j = 0;
        while j < n && hay[i + j] == t[start + j] {
            j += 1;
        }
        if j == n {
            return true;
        }
        i += 1;
    }
    false
}

/// A [`Message`] from a template and its arguments, checked when the crate
/// compiles: `msg!("{code} and {other} are never paid together.", code, other)`.
#[macro_export]
macro_rules! msg {
    ($template:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = $crate::message::check_template($template, &[$(stringify!($arg)),*]);
        const PLAN: Option<$crate::message::Plan> = $crate::message::Plan::of($template);
        $crate::message::Message::planned($template, &PLAN, [$($crate::message::Arg::from($arg)),*])
    }};
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Clone for Message {
    fn clone(&self) -> Message {
        Message {
            body: self.body.clone(),
            rendered: self.rendered.clone(),
        }
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Message {}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::ops::Deref for Message {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Message {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Message {
    fn from(s: String) -> Message {
        Message {
            body: Body::Owned(s),
            rendered: OnceLock::new(),
        }
    }
}
impl From<&'static str> for Message {
    fn from(s: &'static str) -> Message {
        Message {
            body: Body::Static(s),
            rendered: OnceLock::new(),
        }
    }
}
impl From<std::borrow::Cow<'static, str>> for Message {
    fn from(s: std::borrow::Cow<'static, str>) -> Message {
        match s {
            std::borrow::Cow::Borrowed(s) => s.into(),
            std::borrow::Cow::Owned(s) => s.into(),
        }
    }
}

impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (&self.body, self.rendered.get()) {
            (_, Some(r)) => s.serialize_str(r),
            (Body::Static(t), _) => crate::report::literal(t, s),
            (Body::Owned(t), _) => s.serialize_str(t),
            // serde_json writes it escaped straight into its output.
            _ => s.collect_str(self),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn decimal_digits() {
        let mut buf = [0u8; 20];
        for n in [0, 7, 10, 2480, u64::MAX] {
            assert_eq!(decimal(&mut buf, n), n.to_string().as_bytes());
        }
    }

    use super::*;

    #[test]
    fn renders_in_order() {
        let code = String::from("97110");
        let other = "a much longer text than fifteen bytes".to_string();
        let n = 3u32;
        let m = crate::msg!(
            "{code} with {other}: {n}, {{x}} {code:?}",
            &code,
            other,
            n,
            code.clone()
        );
        assert_eq!(
            m.as_str(),
            "97110 with a much longer text than fifteen bytes: 3, {x} \"97110\""
        );
        let mut s = String::new();
        m.write_to(&mut s).unwrap();
        assert_eq!(s, m.to_string());
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            serde_json::to_string(m.as_str()).unwrap()
        );
        let mut b = Vec::new();
        m.write_bytes(&mut b);
        assert_eq!(String::from_utf8(b).unwrap(), m.to_string());
        let (n0, big) = (0u64, u64::MAX);
        let nums = crate::msg!("{n0} {big} {{}}", n0, big);
        let mut b = Vec::new();
        nums.write_bytes(&mut b);
        assert_eq!(String::from_utf8(b).unwrap(), format!("0 {} {{}}", u64::MAX));
        // Planned at compile time (no escapes), quoted and plain, dates and counts.
        let (date, many) = (Date::new(2026, 3, 2).unwrap(), Arg::Units(3));
        let q = crate::msg!("{code:?} on {date} is {n}, {many}.", code.clone(), date, n, many);
        let mut b = Vec::new();
        q.write_bytes(&mut b);
        assert_eq!(String::from_utf8(b).unwrap(), "\"97110\" on 2026-03-02 is 3, 3 units.");
        assert_eq!(q.as_str(), "\"97110\" on 2026-03-02 is 3, 3 units.");
        let (units, minutes) = (Arg::Units(1), Arg::Minutes(12));
        let u = crate::msg!("{units} and {minutes}", units, minutes);
        assert_eq!(&*u, "1 unit and 12 minutes");
    }

    #[test]
    fn names_are_checked() {
        assert!(std::panic::catch_unwind(|| check_template("{a} {b}", &["b", "a"])).is_err());
        assert!(std::panic::catch_unwind(|| check_template("{a}", &["a", "b"])).is_err());
        assert!(std::panic::catch_unwind(|| check_template("{a} {b}", &["a"])).is_err());
        check_template("{a} {{b}} {c:?}", &["&a", "x.c"]);
    }
}

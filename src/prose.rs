//! Sentences written in place. The explanation and the statement are a dozen
//! sentences per visit, each with lists in it ("97110 23 + 97140 12"); writing a
//! list straight into its sentence, instead of a `String` per item joined into
//! another, keeps a check to one allocation per sentence.

use std::cell::Cell;
use std::fmt;

/// `format!` into a buffer sized for a long sentence, so writing it rarely
/// grows the buffer.
macro_rules! sentence {
    ($($arg:tt)*) => {{
        let mut s = String::with_capacity(256);
        let _ = std::fmt::Write::write_fmt(&mut s, format_args!($($arg)*));
        s
    }};
}

/// Appending to a sentence without the formatting machinery: a check writes a
/// few dozen numbers and codes into its explanation and statement, and
/// `write!` costs several times a plain copy for each.
pub trait Put {
    /// Appends text.
    fn put(&mut self, s: &str) -> &mut Self;
    /// Appends a whole number in decimal.
    fn num(&mut self, n: u64) -> &mut Self;
    /// Appends each item with `each`, `sep` between them (a list in a sentence).
    fn list<T>(
        &mut self,
        sep: &str,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Self, T),
    ) -> &mut Self {
        for (k, item) in items.into_iter().enumerate() {
            if k > 0 {
                self.put(sep);
            }
            each(self, item);
        }
        self
    }
}

impl Put for String {
    fn put(&mut self, s: &str) -> &mut Self {
        self.push_str(s);
        self
    }
    fn num(&mut self, n: u64) -> &mut Self {
        let mut buf = [0u8; 20];
        // Digit by digit: numbers here are short, and a `str` check costs more.
        for &d in crate::message::decimal(&mut buf, n) {
            self.push(char::from(d));
        }
        self
    }
}

/// The items, each displayed, with `sep` between them: a list written into a
/// sentence without a `String` per item. It writes once (it holds an iterator).
pub struct Joined<I> {
    items: Cell<Option<I>>,
    sep: &'static str,
}

/// See [`Joined`].
pub fn joined<I>(sep: &'static str, items: I) -> Joined<I::IntoIter>
where
    I: IntoIterator,
    I::Item: fmt::Display,
{
    Joined {
        items: Cell::new(Some(items.into_iter())),
        sep,
    }
}

impl<I> fmt::Display for Joined<I>
where
    I: Iterator,
    I::Item: fmt::Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(items) = self.items.take() else {
            return Ok(());
        };
        for (k, item) in items.enumerate() {
            if k > 0 {
                f.write_str(self.sep)?;
            }
            item.fmt(f)?;
        }
        Ok(())
    }
}

/// The texts with `sep` between them: what `[S]::join` gives, without the
/// standard library's two copies of its join (one per item type) in the page's module.
pub fn join<S: AsRef<str>>(items: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(sep);
        }
        out.push_str(item.as_ref());
    }
    out
}

/// A value displayed by a closure (what `std::fmt::from_fn` does from Rust
/// 1.93; the crate's MSRV is older).
pub struct FromFn<F>(F);

/// See [`FromFn`].
pub fn from_fn<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result>(f: F) -> FromFn<F> {
    FromFn(f)
}

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for FromFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// One of two displayable kinds, so two differently built lists chain into one.
pub enum Either<A, B> {
    /// The first kind.
    A(A),
    /// The second kind.
    B(B),
}

impl<A: fmt::Display, B: fmt::Display> fmt::Display for Either<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Either::A(a) => a.fmt(f),
            Either::B(b) => b.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_writes_as_display_does() {
        let mut s = String::new();
        s.put("a ").num(0).put(" ").num(1234).put(" ").num(u64::MAX);
        assert_eq!(s, format!("a 0 1234 {}", u64::MAX));
    }

    #[test]
    fn joins_with_separators_only_between() {
        assert_eq!(joined(" + ", [1, 2, 3]).to_string(), "1 + 2 + 3");
        assert_eq!(joined(", ", ["a"]).to_string(), "a");
        assert_eq!(joined(", ", Vec::<u8>::new()).to_string(), "");
        assert_eq!(sentence!("Total {}.", joined("; ", ["x", "y"])), "Total x; y.");
    }
}

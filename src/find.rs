//! Finding a text in a text, left to right, as `str::find` and
//! `str::match_indices` do with a `&str` pattern, without the standard
//! library's two-way searcher (its forward half is about 1 KB of the page's
//! module). The needles here are a few letters and the texts a title or a
//! message, where a plain scan is as quick.

/// Where `needle` first occurs in `text` at or after byte `from`, or `None`.
/// An empty needle occurs at `from` (or at the end, if `from` is past it).
pub(crate) fn find(text: &str, needle: &str, from: usize) -> Option<usize> {
    let (t, n) = (text.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return Some(from.min(t.len()));
    };
    let mut at = from;
    while at + n.len() <= t.len() {
        // A valid UTF-8 needle matches only where a character starts.
        let i = at + t[at..=t.len() - n.len()].iter().position(|&b| b == first)?;
        if &t[i + 1..i + n.len()] == rest {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// Whether `needle` occurs in `text`.
pub(crate) fn contains(text: &str, needle: &str) -> bool {
    find(text, needle, 0).is_some()
}

/// The starts of the non-overlapping occurrences of a non-empty `needle`, as
/// `text.match_indices(needle)` gives them.
pub(crate) fn starts<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = Some(0);
    std::iter::from_fn(move || {
        let at = find(text, needle, from?)?;
        from = Some(at + needle.len().max(1));
        Some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_as_the_standard_library() {
        let texts = [
            "",
            "a",
            "aaa",
            "abcabc",
            "x-x-x",
            "ax-x-x",
            "low back pain",
            "pain, low back",
            "ébène é",
            "aab",
        ];
        let needles = ["", "a", "aa", "abc", "x-x", "back", "é", "b", "low", "aab", "zzzz"];
        for t in texts {
            for n in needles {
                assert_eq!(find(t, n, 0), t.find(n), "{t:?} {n:?}");
                assert_eq!(contains(t, n), t.contains(n), "{t:?} {n:?}");
                if !n.is_empty() {
                    let std: Vec<usize> = t.match_indices(n).map(|(i, _)| i).collect();
                    assert_eq!(starts(t, n).collect::<Vec<_>>(), std, "{t:?} {n:?}");
                }
                for from in 0..=t.len() {
                    if t.is_char_boundary(from) {
                        assert_eq!(
                            find(t, n, from),
                            t[from..].find(n).map(|i| i + from),
                            "{t:?} {n:?} {from}"
                        );
                    }
                }
            }
        }
    }
}

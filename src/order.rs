//! Stable sorting of a visit's short lists (its findings, pending rules, code
//! groups, search results) by a key packed into a `u64`. Every use sorts the
//! same `(key, index)` pairs, so the page's module holds one small sort
//! instead of a copy of the standard library's per use (each about 2 KB). The
//! pairs are unique, so the order is exactly what a stable `sort_by_key` gives.

/// Sorts `v` by `key`, keeping equal items in their order.
pub fn stable_by_key<T>(v: &mut [T], key: impl Fn(&T) -> u64) {
    const SMALL: usize = 32;
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut small = [(0u64, 0u32); SMALL];
    let mut big = Vec::new();
    let pairs: &mut [(u64, u32)] = if n <= SMALL {
        &mut small[..n]
    } else {
        big.resize(n, (0, 0));
        &mut big
    };
    for (i, (p, x)) in pairs.iter_mut().zip(v.iter()).enumerate() {
        *p = (key(x), i as u32);
    }
    sort_pairs(pairs);
    // The sort keys are spent: each pair's first field becomes where the item
    // now at that index belongs, and the items are swapped along their cycles.
    for k in 0..n {
        let from = pairs[k].1 as usize;
        pairs[from].0 = k as u64;
    }
    for i in 0..n {
        loop {
            let to = pairs[i].0 as usize;
            if to == i {
                break;
            }
            v.swap(i, to);
            pairs.swap(i, to);
        }
    }
}

/// A text of at most 8 bytes (a code) as a key in the same order as the text:
/// its bytes big-endian, left-aligned (a shorter text sorts before any longer
/// one it begins).
pub fn text_key(s: &str) -> u64 {
    debug_assert!(s.len() <= 8, "{s:?} is longer than a text key holds");
    let mut w = [0u8; 8];
    for (d, b) in w.iter_mut().zip(s.bytes()) {
        *d = b;
    }
    u64::from_be_bytes(w)
}

/// The one sort every use shares: insertion sort for a short list (a visit's
/// findings), else a heapsort; some 300 bytes of wasm where the standard
/// library's `sort_unstable` is 3.5 KB. The pairs are unique, so any correct
/// sort leaves them in the same order.
#[inline(never)]
fn sort_pairs(pairs: &mut [(u64, u32)]) {
    // Sifts the item at `root` down the heap of the first `end` pairs.
    fn sift(pairs: &mut [(u64, u32)], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && pairs[child] < pairs[child + 1] {
                child += 1;
            }
            if pairs[root] >= pairs[child] {
                return;
            }
            pairs.swap(root, child);
            root = child;
        }
    }
    let n = pairs.len();
    if n <= 16 {
        // Insertion sort: fewer steps for the few findings of a visit.
        for i in 1..n {
            let mut j = i;
            while j > 0 && pairs[j - 1] > pairs[j] {
                pairs.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    for root in (0..n / 2).rev() {
        sift(pairs, root, n);
    }
    for end in (1..n).rev() {
        pairs.swap(0, end);
        sift(pairs, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_order_as_a_stable_sort_by_key() {
        let mut seed = 7u64;
        for n in [0, 1, 2, 3, 31, 32, 33, 200] {
            for _ in 0..20 {
                let v: Vec<(u64, usize)> = (0..n)
                    .map(|i| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        ((seed >> 60) % 5, i)
                    })
                    .collect();
                let mut ours = v.clone();
                stable_by_key(&mut ours, |x| x.0);
                let mut std_sorted = v.clone();
                std_sorted.sort_by_key(|x| x.0);
                assert_eq!(ours, std_sorted, "n = {n}");
            }
        }
    }

    #[test]
    fn sort_pairs_sorts() {
        let mut seed = 11u64;
        for n in [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 100, 1000] {
            let mut v: Vec<(u64, u32)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 61) % 7, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            sort_pairs(&mut v);
            assert_eq!(v, want, "n = {n}");
        }
    }

    #[test]
    fn text_keys_sort_as_the_texts() {
        let mut codes = [
            "97810", "9781", "97530", "G0283", "M54.50", "M54", "", "S86.011A", "97110",
        ];
        let mut keyed = codes;
        stable_by_key(&mut keyed, |c| text_key(c));
        codes.sort();
        assert_eq!(keyed, codes);
    }
}

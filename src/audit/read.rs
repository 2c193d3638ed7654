//! Reading rows: bytes in, records out, pushed chunk by chunk (a file read in
//! pieces, a `ReadableStream` in the page) through `csv-core`, which handles
//! quoting and CR, LF and CR LF line breaks. This layer adds what a spreadsheet
//! user expects of row numbers and what csv-core leaves to its caller:
//!
//! - the delimiter (comma, semicolon or tab) is detected from the header line;
//! - row numbers are as a spreadsheet shows them (the header is row 1; a blank
//!   line is a row, skipped without a word);
//! - a quote that is never closed costs its own row only: the reader goes back
//!   to the line after the row's first line (csv-core would read the rest of the
//!   file as one field). A record longer than [`MAX_RECORD`] is treated the same
//!   way, so memory stays bounded;
//! - bytes that are not UTF-8 are replaced (field by field) and the row is
//!   flagged, so every door reports them alike.

use csv_core::{ReadRecordResult, ReaderBuilder};

/// The longest record the reader holds (a real row is a few hundred bytes).
pub const MAX_RECORD: usize = 1 << 20;

/// The fields of one record, kept in one string whose buffer is reused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    text: String,
    ends: Vec<usize>,
    /// Bytes between one field's end and the next one's start: 0 for
    /// csv-core's output (fields end to end), 1 for a line kept as it was
    /// read (a delimiter between fields).
    gap: usize,
}

impl Fields {
    /// The `i`th field.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + self.gap };
        self.text.get(start..end)
    }

    /// How many fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Fills from a line with no quote that is UTF-8 text, split at
    /// `delimiter`: the fields csv-core would give (see [`RowReader::quick`]).
    fn fill_line(&mut self, line: &str, delimiter: u8) {
        self.text.clear();
        self.ends.clear();
        self.gap = 1;
        self.text.push_str(line);
        // Eight bytes at a time: a byte equal to the delimiter (zero once
        // XORed with it) sets its top bit, and only its own.
        let b = line.as_bytes();
        let low = 0x7f7f_7f7f_7f7f_7f7f_u64;
        let spread = u64::from(delimiter) * 0x0101_0101_0101_0101;
        let mut at = 0;
        while let Some(word) = b.get(at..at + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            let v = u64::from_le_bytes(w) ^ spread;
            let mut hits = !(((v & low) + low) | v | low);
            while hits != 0 {
                self.ends.push(at + (hits.trailing_zeros() / 8) as usize);
                hits &= hits - 1;
            }
            at += 8;
        }
        self.ends.extend(
            b[at..]
                .iter()
                .enumerate()
                .filter(|&(_, &c)| c == delimiter)
                .map(|(i, _)| at + i),
        );
        self.ends.push(line.len());
    }

    /// Fills from csv-core's output; returns whether bytes had to be replaced.
    fn fill(&mut self, out: &[u8], ends: &[usize]) -> bool {
        self.text.clear();
        self.ends.clear();
        self.gap = 0;
        match std::str::from_utf8(out) {
            Ok(s) => {
                self.text.push_str(s);
                self.ends.extend_from_slice(ends);
                false
            }
            Err(_) => {
                let mut start = 0;
                for &end in ends {
                    self.text.push_str(&String::from_utf8_lossy(&out[start..end]));
                    start = end;
                    self.ends.push(self.text.len());
                }
                true
            }
        }
    }
}

/// Where the reader hands its records.
pub trait Rows {
    /// The header row (row 1). An error stops the reading.
    fn header(&mut self, fields: &Fields, replaced: bool) -> Result<(), String>;
    /// A data row; `replaced` when bytes that were not UTF-8 were replaced.
    fn row(&mut self, row: u64, fields: &Fields, replaced: bool);
    /// A row that could not be read.
    fn bad(&mut self, row: u64, message: String);
}

/// A push reader: [`RowReader::feed`] chunks, then [`RowReader::finish`].
pub struct RowReader {
    /// Set once the header line is seen.
    core: Option<csv_core::Reader>,
    delimiter: u8,
    /// Bytes held until the header line is complete (for the delimiter).
    head: Vec<u8>,
    /// The current record's raw bytes (to re-read after an unclosed quote).
    raw: Vec<u8>,
    out: Vec<u8>,
    nout: usize,
    ends: Vec<usize>,
    nends: usize,
    fields: Fields,
    /// Rows seen so far (the header is row 1).
    pub row: u64,
    /// The last byte consumed was a CR (its LF, if next, is not a blank row).
    after_cr: bool,
    /// Inside a record (csv-core has consumed some of it).
    in_record: bool,
    /// A row refused for its length whose first line goes on past what was
    /// read: the rest of that line is skipped, and reading goes on after it.
    skip_line: bool,
    started: bool,
    failed: bool,
    /// csv-core has read nothing since it was made: it strips a BOM on its
    /// first read, so the next record goes through it, never [`RowReader::quick`].
    fresh: bool,
    /// Whether [`RowReader::quick`] may read a line (tests compare with csv-core alone).
    quick_lines: bool,
}

impl Default for RowReader {
    fn default() -> Self {
        Self::new()
    }
}

impl RowReader {
    /// A reader at the start of a file.
    pub fn new() -> Self {
        RowReader {
            core: None,
            delimiter: b',',
            head: Vec::new(),
            raw: Vec::new(),
            out: vec![0; 4096],
            nout: 0,
            ends: vec![0; 64],
            nends: 0,
            fields: Fields::default(),
            row: 0,
            after_cr: false,
            skip_line: false,
            in_record: false,
            started: false,
            failed: false,
            fresh: true,
            quick_lines: true,
        }
    }

    /// The delimiter detected from the header (comma until then).
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Reads a chunk of the file.
    pub fn feed(&mut self, chunk: &[u8], to: &mut dyn Rows) -> Result<(), String> {
        if self.failed {
            return Ok(());
        }
        if self.core.is_none() {
            self.head.extend_from_slice(chunk);
            if !self.head_complete() {
                if self.head.len() > MAX_RECORD {
                    return self.fail(
                        "the first line (the header) is longer than 1 MB: this is not a CSV file with a header row"
                            .into(),
                    );
                }
                return Ok(());
            }
            let head = std::mem::take(&mut self.head);
            self.begin(&head)?;
            return self.push(&head[self.bom_len(&head)..], to);
        }
        self.push(chunk, to)
    }

    /// The end of the file.
    pub fn finish(&mut self, to: &mut dyn Rows) -> Result<(), String> {
        if self.failed {
            return Ok(());
        }
        if self.core.is_none() {
            let head = std::mem::take(&mut self.head);
            self.begin(&head)?;
            self.push(&head[self.bom_len(&head)..], to)?;
        }
        loop {
            let Some(core) = self.core.as_mut() else { return Ok(()) };
            let (res, _, nout, nends) = core.read_record(&[], &mut self.out[self.nout..], &mut self.ends[self.nends..]);
            self.nout += nout;
            self.nends += nends;
            match res {
                ReadRecordResult::OutputFull => self.grow_out(),
                ReadRecordResult::OutputEndsFull => self.grow_ends(),
                ReadRecordResult::Record => {
                    // The last record has no line break after it. An odd number of
                    // quotes with a line break inside means a quote never closed.
                    let raw = std::mem::take(&mut self.raw);
                    let quotes = memchr::memchr_iter(b'"', &raw).count();
                    if quotes % 2 == 1
                        && let Some(nl) = memchr::memchr2(b'\n', b'\r', &raw)
                    {
                        self.recover(&raw, nl, "a quoted cell is never closed (a \" with no closing \")", to)?;
                        continue;
                    }
                    self.record(to)?;
                }
                ReadRecordResult::End | ReadRecordResult::InputEmpty => return Ok(()),
            }
        }
    }

    fn fail(&mut self, message: String) -> Result<(), String> {
        self.failed = true;
        Err(message)
    }

    fn bom_len(&self, head: &[u8]) -> usize {
        if head.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 }
    }

    /// Whether the held bytes hold the whole header line.
    fn head_complete(&self) -> bool {
        memchr::memchr2(b'\n', b'\r', &self.head).is_some()
    }

    /// Picks the delimiter from the header line and starts csv-core.
    fn begin(&mut self, head: &[u8]) -> Result<(), String> {
        if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
            return self.fail("the file is saved as UTF-16 (\"Unicode text\"), not as CSV text: save it again as \"CSV UTF-8\" and choose it again".into());
        }
        let first = &head[self.bom_len(head)..];
        let line_end = memchr::memchr2(b'\n', b'\r', first).unwrap_or(first.len());
        let line = &first[..line_end];
        if line.contains(&0) {
            return self.fail(
                "this is not a text file (it holds binary data): export the visits as CSV and choose that file".into(),
            );
        }
        // The delimiter the header uses most, outside quotes; a comma when none.
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for &b in line {
            match b {
                b'"' => quoted = !quoted,
                b',' if !quoted => counts[0] += 1,
                b';' if !quoted => counts[1] += 1,
                b'\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
        self.delimiter = [b',', b';', b'\t'][best];
        self.core = Some(ReaderBuilder::new().delimiter(self.delimiter).build());
        self.fresh = true;
        self.started = true;
        Ok(())
    }

    fn grow_out(&mut self) {
        let n = self.out.len() * 2;
        self.out.resize(n, 0);
    }

    fn grow_ends(&mut self) {
        let n = self.ends.len() * 2;
        self.ends.resize(n, 0);
    }

    fn push(&mut self, mut input: &[u8], to: &mut dyn Rows) -> Result<(), String> {
        while !input.is_empty() {
            if self.failed {
                return Ok(());
            }
            if self.skip_line {
                // The refused row's own line break ends it: it is not a blank row.
                let Some(at) = memchr::memchr2(b'\n', b'\r', input) else {
                    return Ok(());
                };
                self.skip_line = false;
                self.after_cr = input[at] == b'\r';
                input = &input[at + 1..];
                continue;
            }
            if !self.in_record {
                // Blank lines are rows too (as a spreadsheet numbers them); csv-core
                // would skip them without counting.
                let b = input[0];
                if b == b'\n' && self.after_cr {
                    self.after_cr = false;
                    input = &input[1..];
                    continue;
                }
                if b == b'\n' || b == b'\r' {
                    self.after_cr = b == b'\r';
                    if self.row > 0 {
                        self.row += 1;
                    }
                    input = &input[1..];
                    continue;
                }
                self.after_cr = false;
                if !self.fresh
                    && self.quick_lines
                    && let Some(n) = self.quick(input, to)?
                {
                    input = &input[n..];
                    continue;
                }
                self.in_record = true;
            }
            let Some(core) = self.core.as_mut() else { return Ok(()) };
            let (res, nin, nout, nends) =
                core.read_record(input, &mut self.out[self.nout..], &mut self.ends[self.nends..]);
            if nin > 0 {
                self.fresh = false;
            }
            self.raw.extend_from_slice(&input[..nin]);
            if nin > 0 {
                self.after_cr = input[nin - 1] == b'\r';
            }
            input = &input[nin..];
            self.nout += nout;
            self.nends += nends;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.grow_out(),
                ReadRecordResult::OutputEndsFull => self.grow_ends(),
                ReadRecordResult::Record => self.record(to)?,
                ReadRecordResult::End => return Ok(()),
            }
            if self.raw.len() > MAX_RECORD {
                let raw = std::mem::take(&mut self.raw);
                let nl = memchr::memchr2(b'\n', b'\r', &raw).unwrap_or(raw.len());
                // The rest of this chunk follows what is read again.
                let rest = input.to_vec();
                self.recover(
                    &raw,
                    nl,
                    "this row is longer than 1 MB: probably a quoted cell that is never closed (a \" with no closing \")",
                    to,
                )?;
                return self.push(&rest, to);
            }
        }
        Ok(())
    }

    /// Reads a record that starts `input` without csv-core when it is a whole
    /// line with no quote that is UTF-8 text (nearly every row of an export):
    /// csv-core gives such a line's fields as split at the delimiter, and is
    /// left as it would be after it (at the start of a record: a terminator
    /// next is the reader's to handle, as after any record). The bytes
    /// consumed, or `None` for csv-core to read it.
    fn quick(&mut self, input: &[u8], to: &mut dyn Rows) -> Result<Option<usize>, String> {
        let Some(end) = memchr::memchr2(b'\n', b'\r', input) else {
            return Ok(None);
        };
        let line = &input[..end];
        // A line over the record limit is csv-core's too: it is refused there,
        // whether or not one chunk holds it whole.
        if line.len() > MAX_RECORD || memchr::memchr(b'"', line).is_some() {
            return Ok(None);
        }
        // Not UTF-8: csv-core's path says which bytes were replaced, field by field.
        let Ok(text) = std::str::from_utf8(line) else {
            return Ok(None);
        };
        self.fields.fill_line(text, self.delimiter);
        self.after_cr = input[end] == b'\r';
        self.hand_on(false, to)?;
        Ok(Some(end + 1))
    }

    /// Reports the current record as unreadable and reads again from the line
    /// after its first line.
    fn recover(&mut self, raw: &[u8], nl: usize, why: &str, to: &mut dyn Rows) -> Result<(), String> {
        self.row += 1;
        let row = self.row;
        if row == 1 {
            return self.fail(format!("the header row cannot be read: {why}"));
        }
        to.bad(row, why.to_string());
        self.reset_record();
        self.core = Some(ReaderBuilder::new().delimiter(self.delimiter).build());
        self.fresh = true;
        let mut from = nl + 1;
        if raw.get(nl) == Some(&b'\r') && raw.get(nl + 1) == Some(&b'\n') {
            from += 1;
        }
        self.after_cr = false;
        if nl == raw.len() {
            // Its first line is longer than what was read: the rest of it is this row's too.
            self.skip_line = true;
        } else if raw[nl] == b'\r' && from == raw.len() {
            self.after_cr = true; // a CR LF split after the CR: the LF is this row's
        }
        if from < raw.len() {
            self.push(&raw[from..], to)?;
        }
        Ok(())
    }

    fn reset_record(&mut self) {
        self.raw.clear();
        self.nout = 0;
        self.nends = 0;
        self.in_record = false;
    }

    /// A whole record is in the buffers: hand it on.
    fn record(&mut self, to: &mut dyn Rows) -> Result<(), String> {
        let replaced = self.fields.fill(&self.out[..self.nout], &self.ends[..self.nends]);
        self.reset_record();
        self.hand_on(replaced, to)
    }

    /// The record in [`Fields`] is the next row: hand it on.
    fn hand_on(&mut self, replaced: bool, to: &mut dyn Rows) -> Result<(), String> {
        self.row += 1;
        if self.row == 1 {
            if replaced {
                return self.fail(
                    "this is not a CSV text file (the header row is not UTF-8 text): export the visits as \"CSV UTF-8\" and choose that file".into(),
                );
            }
            if let Err(m) = to.header(&self.fields, false) {
                return self.fail(m);
            }
        } else {
            to.row(self.row, &self.fields, replaced);
        }
        Ok(())
    }

    /// Whether any byte was read at all (an empty file has no header).
    pub fn saw_header(&self) -> bool {
        self.row >= 1
    }

    /// Whether the reader stopped on a file error.
    pub fn failed(&self) -> bool {
        self.failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct All {
        head: Vec<String>,
        rows: Vec<(u64, Vec<String>, bool)>,
        bad: Vec<(u64, String)>,
    }
    impl Rows for All {
        fn header(&mut self, f: &Fields, _: bool) -> Result<(), String> {
            self.head = f.iter().map(str::to_string).collect();
            Ok(())
        }
        fn row(&mut self, row: u64, f: &Fields, replaced: bool) {
            self.rows.push((row, f.iter().map(str::to_string).collect(), replaced));
        }
        fn bad(&mut self, row: u64, m: String) {
            self.bad.push((row, m));
        }
    }

    fn read(bytes: &[u8], chunk: usize) -> All {
        read_with(bytes, chunk, true)
    }

    fn read_with(bytes: &[u8], chunk: usize, quick_lines: bool) -> All {
        let mut all = All::default();
        let mut r = RowReader::new();
        r.quick_lines = quick_lines;
        for c in bytes.chunks(chunk.max(1)) {
            r.feed(c, &mut all).unwrap();
        }
        r.finish(&mut all).unwrap();
        all
    }

    fn rows(a: &All) -> Vec<(u64, Vec<&str>)> {
        a.rows
            .iter()
            .map(|(n, f, _)| (*n, f.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn line_breaks_and_delimiters() {
        for chunk in [1, 2, 3, 7, 4096] {
            for text in [
                "a,b\n1,2\n3,4\n",
                "a,b\r\n1,2\r\n3,4",
                "a,b\r1,2\r3,4\r",
                "\u{feff}a;b\r\n1;2\r\n3;4\r\n",
                "a\tb\n1\t2\n3\t4\n",
            ] {
                let a = read(text.as_bytes(), chunk);
                assert_eq!(a.head, ["a", "b"], "{text:?} {chunk}");
                assert_eq!(rows(&a), [(2, vec!["1", "2"]), (3, vec!["3", "4"])], "{text:?} {chunk}");
            }
        }
    }

    /// Lines read without csv-core give what csv-core gives, row numbers and
    /// replaced bytes included, however the file is cut into chunks.
    #[test]
    fn quick_lines_read_as_csv_core_reads_them() {
        let texts: &[&[u8]] = &[
            b"a,b\n1,2\n3,4\n",
            b"a,b\r\n1,2\r\n\r\n3,4",
            b"a,b\r1,2\r\r3,4\r",
            b"\xef\xbb\xbfa;b\r\n1;2\r\n\xef\xbb\xbf3;4\r\n",
            b"\xef\xbb\xbf\xef\xbb\xbfa,b\n1,2\n",
            b"h,i\n\"x\ny,1\nz,2\n\xef\xbb\xbfw,3\n",
            b"h,i\n\"two\nlines\",z\nnext,1\n,\n,,,\nx\n",
            b"h,i\na\xff,b\n\xc3,\xa9\nc\xc3\xa9,d\n",
            b"h\ti\n1\t2\t\n \t \n",
            b"h,i\n1,\"2\"\"\"\n3,4\n\"5\"x,6\n7,8",
            b"h,i\n1,2\r\n\n\r\r\n3,4\n\r",
            b"h,i\nabcdefgh,ijklmnop,,qrstuvwxyz0123,4,,,,,,,,,,,,,,,,\n12345678,\n,1234567,\xc3\xa9\xc3\xa9\xc3\xa9,x\n",
        ];
        for text in texts {
            for chunk in [1, 2, 3, 5, 7, 64, 4096] {
                let (a, b) = (read_with(text, chunk, true), read_with(text, chunk, false));
                assert_eq!(a.head, b.head, "{text:?} {chunk}");
                assert_eq!(a.rows, b.rows, "{text:?} {chunk}");
                assert_eq!(a.bad, b.bad, "{text:?} {chunk}");
            }
        }
    }

    /// A line longer than the record limit reads as csv-core reads it (a row
    /// error, not a 3 MB cell) even when one chunk holds it whole, where the
    /// quick path could have taken it.
    #[test]
    fn a_line_over_the_record_limit_reads_as_csv_core_reads_it() {
        let mut text = b"h,i\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', 3 * MAX_RECORD));
        text.extend_from_slice(b",1\nok,2\n");
        for chunk in [4096, text.len()] {
            let (a, b) = (read_with(&text, chunk, true), read_with(&text, chunk, false));
            // One row error for the one long row, and the next row keeps its number.
            assert_eq!(a.bad.iter().map(|b| b.0).collect::<Vec<_>>(), [2], "chunk {chunk}");
            assert_eq!(rows(&a), [(3, vec!["ok", "2"])], "chunk {chunk}");
            assert_eq!((a.rows, a.bad), (b.rows, b.bad), "chunk {chunk}");
        }
        // The same with CR LF breaks, a chunk ending between the CR and the LF, and a line of 5 MB.
        let mut text = b"h,i\r\n".to_vec();
        text.extend(std::iter::repeat_n(b'y', 5 * MAX_RECORD));
        text.extend_from_slice(b"\r\nok,3\r\n\r\nlast,4\r\n");
        let cut = text.len() - b"\nok,3\r\n\r\nlast,4\r\n".len();
        for chunk in [4096, 65_536, cut, text.len()] {
            let a = read_with(&text, chunk, true);
            assert_eq!(a.bad.iter().map(|b| b.0).collect::<Vec<_>>(), [2], "chunk {chunk}");
            assert_eq!(
                rows(&a),
                [(3, vec!["ok", "3"]), (5, vec!["last", "4"])],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn blank_lines_count_as_rows() {
        let a = read(b"a,b\n\n1,2\r\n\r\n3,4\n", 3);
        assert_eq!(rows(&a), [(3, vec!["1", "2"]), (5, vec!["3", "4"])]);
    }

    #[test]
    fn an_unclosed_quote_costs_its_row_only() {
        for chunk in [1, 5, 4096] {
            let a = read(b"h,i\n\"x\ny,1\nz,2\n", chunk);
            assert_eq!(a.bad.len(), 1);
            assert_eq!(a.bad[0].0, 2);
            assert_eq!(rows(&a), [(3, vec!["y", "1"]), (4, vec!["z", "2"])]);
            // A quoted line break is kept.
            let a = read(b"h,i\n\"two\nlines\",z\nnext,1\n", chunk);
            assert_eq!(rows(&a), [(2, vec!["two\nlines", "z"]), (3, vec!["next", "1"])]);
        }
    }

    #[test]
    fn invalid_utf8_is_replaced_and_flagged() {
        let a = read(b"h,i\na\xff,b\n", 2);
        assert_eq!(a.rows[0].1, ["a\u{fffd}", "b"]);
        assert!(a.rows[0].2);
    }

    #[test]
    fn not_text() {
        let mut r = RowReader::new();
        let e = r.feed(b"PK\x03\x04\x00\x00\n", &mut All::default()).unwrap_err();
        assert!(e.contains("not a text file"), "{e}");
        let mut r = RowReader::new();
        assert!(
            r.feed(b"\xff\xfev\x00i\x00\n", &mut All::default())
                .unwrap_err()
                .contains("UTF-16")
        );
    }
}

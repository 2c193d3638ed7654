//! A small RFC 4180 CSV reader (quoted fields, doubled quotes, CR LF, line breaks
//! inside quotes), so the wasm build needs no CSV crate. It reads records one at
//! a time from any `BufRead`, so memory does not grow with the file.

use std::io::BufRead;

/// The fields of one record, kept in one string whose buffer the reader reuses
/// from record to record (the audit reads every row twice).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    text: String,
    ends: Vec<usize>,
}

impl Fields {
    /// Takes the record's bytes as its text, replacing invalid UTF-8 field by
    /// field so the boundaries stay right. Gives back a buffer to reuse.
    fn fill(&mut self, raw: Vec<u8>) -> Vec<u8> {
        let spare = std::mem::take(&mut self.text).into_bytes();
        match String::from_utf8(raw) {
            Ok(text) => self.text = text,
            Err(e) => {
                let raw = e.into_bytes();
                let mut start = 0;
                for end in self.ends.iter_mut() {
                    self.text.push_str(&String::from_utf8_lossy(&raw[start..*end]));
                    start = *end;
                    *end = self.text.len();
                }
            }
        }
        spare
    }

    /// The `i`th field.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    /// How many fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none (never, for a record the reader returns).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// One record, or why it could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum Record {
    /// The fields of a well-formed record.
    Fields(Fields),
    /// A malformed record (the reader has moved past it).
    Bad(String),
}

/// Reads records from a byte stream.
pub struct Reader<R> {
    src: R,
    buf: Vec<u8>,
    /// The record being read, unquoted; then the buffer the last record gave back.
    raw: Vec<u8>,
    /// The record last read (buffers reused from record to record).
    current: Fields,
    /// Lines to read again: those after a quote that was never closed.
    again: std::collections::VecDeque<Vec<u8>>,
    /// Spreadsheet row number of the record last returned (the first record is row 1).
    pub row: u64,
    /// Bytes consumed so far.
    pub bytes: u64,
}

impl<R: BufRead> Reader<R> {
    /// A reader over `src`.
    pub fn new(src: R) -> Self {
        Reader {
            src,
            buf: Vec::new(),
            raw: Vec::new(),
            current: Fields::default(),
            again: std::collections::VecDeque::new(),
            row: 0,
            bytes: 0,
        }
    }

    /// The next record, or `None` at the end.
    pub fn next_record(&mut self) -> Option<Record> {
        let (_, rec) = self.read()?;
        Some(match rec {
            Ok(f) => Record::Fields(f.clone()),
            Err(m) => Record::Bad(m),
        })
    }

    /// The next record and its row number, or `None` at the end. The fields are
    /// borrowed: reading them allocates nothing once the buffers have grown.
    pub fn read(&mut self) -> Option<(u64, Result<&Fields, String>)> {
        self.raw.clear();
        self.current.ends.clear();
        let mut field_start = 0;
        let mut in_quotes = false;
        let mut quoted = false; // the current field began with a quote
        let mut after_quote = false; // a closing quote was just read
        let mut bad: Option<String> = None;
        let mut any = false;
        let mut lines_read: Vec<Vec<u8>> = Vec::new();
        loop {
            self.buf.clear();
            let n = if let Some(line) = self.again.pop_front() {
                self.buf = line;
                self.bytes -= self.buf.len() as u64; // counted once already
                self.buf.len()
            } else {
                match self.src.read_until(b'\n', &mut self.buf) {
                    Ok(n) => n,
                    Err(e) => {
                        bad = Some(format!("cannot read the file: {e}"));
                        0
                    }
                }
            };
            if n == 0 {
                if !any {
                    return None;
                }
                self.row += 1;
                if in_quotes {
                    // Read the lines after this row's first line again as rows of their own,
                    // so one stray quote costs one row, not the rest of the file.
                    for line in lines_read.into_iter().rev() {
                        self.again.push_front(line);
                    }
                    return Some((
                        self.row,
                        Err("a quoted field is never closed (unbalanced quotes)".into()),
                    ));
                }
                return Some((self.row, self.finish(bad)));
            }
            any = true;
            self.bytes += n as u64;
            let line = std::mem::take(&mut self.buf);
            // Only continuation lines are kept, in case the quote never closes.
            if in_quotes {
                lines_read.push(line.clone());
            }
            let raw = &mut self.raw;
            let ends = &mut self.current.ends;
            let mut i = 0;
            while i < line.len() {
                let c = line[i];
                if in_quotes {
                    if c == b'"' {
                        if line.get(i + 1) == Some(&b'"') {
                            raw.push(b'"');
                            i += 1;
                        } else {
                            in_quotes = false;
                            after_quote = true;
                        }
                    } else {
                        raw.push(c);
                    }
                } else if c == b',' {
                    ends.push(raw.len());
                    field_start = raw.len();
                    quoted = false;
                    after_quote = false;
                } else if c == b'\n' || (c == b'\r' && line.get(i + 1) == Some(&b'\n')) {
                    self.row += 1;
                    self.buf = line;
                    return Some((self.row, self.finish(bad)));
                } else if c == b'"' && raw.len() == field_start && !quoted {
                    in_quotes = true;
                    quoted = true;
                } else if c == b'"' || after_quote {
                    bad.get_or_insert_with(|| {
                        format!("a quote in the middle of field {} (unbalanced quotes)", ends.len() + 1)
                    });
                    raw.push(c);
                } else {
                    raw.push(c);
                }
                i += 1;
            }
            self.buf = line;
        }
    }

    /// Ends the record being read.
    fn finish(&mut self, bad: Option<String>) -> Result<&Fields, String> {
        if let Some(b) = bad {
            return Err(b);
        }
        self.current.ends.push(self.raw.len());
        let raw = std::mem::take(&mut self.raw);
        self.raw = self.current.fill(raw);
        Ok(&self.current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<Record> {
        let mut r = Reader::new(text.as_bytes());
        std::iter::from_fn(|| r.next_record()).collect()
    }

    fn f(v: &[&str]) -> Record {
        let mut fields = Fields::default();
        for s in v {
            fields.text.push_str(s);
            fields.ends.push(fields.text.len());
        }
        Record::Fields(fields)
    }

    #[test]
    fn records() {
        assert_eq!(all("a,b\n1,2\n"), vec![f(&["a", "b"]), f(&["1", "2"])]);
        assert_eq!(all("a,b\r\n1,2"), vec![f(&["a", "b"]), f(&["1", "2"])]);
        assert_eq!(all("\"x,y\",\"say \"\"hi\"\"\"\n"), vec![f(&["x,y", "say \"hi\""])]);
        assert_eq!(
            all("\"two\nlines\",z\nnext,1\n"),
            vec![f(&["two\nlines", "z"]), f(&["next", "1"])]
        );
        assert_eq!(all(",\n"), vec![f(&["", ""])]);
        assert_eq!(
            all("a,\"open\nb,c\n"),
            vec![
                Record::Bad("a quoted field is never closed (unbalanced quotes)".into()),
                f(&["b", "c"])
            ]
        );
        assert!(matches!(all("a,b\"c\nd,e\n")[..], [Record::Bad(_), Record::Fields(_)]));
        // A stray quote costs its own row only, however many lines follow.
        assert_eq!(
            all("\"x\ny,1\nz,2\n"),
            vec![
                Record::Bad("a quoted field is never closed (unbalanced quotes)".into()),
                f(&["y", "1"]),
                f(&["z", "2"])
            ]
        );
    }

    #[test]
    fn invalid_utf8_keeps_field_boundaries() {
        let mut r = Reader::new(&b"a\xff,b\n"[..]);
        let Some(Record::Fields(f)) = r.next_record() else {
            panic!("a record")
        };
        assert_eq!(f.iter().collect::<Vec<_>>(), ["a\u{fffd}", "b"]);
    }

    #[test]
    fn row_numbers_count_records_not_lines() {
        let mut r = Reader::new("h\n\"a\nb\"\nc\n".as_bytes());
        r.next_record();
        assert_eq!(r.row, 1);
        r.next_record();
        assert_eq!(r.row, 2);
        r.next_record();
        assert_eq!(r.row, 3);
    }
}

//! A small RFC 4180 CSV reader (quoted fields, doubled quotes, CR LF, line breaks
//! inside quotes), so the wasm build needs no CSV crate. It reads records one at
//! a time from any `BufRead`, so memory does not grow with the file.

use std::io::BufRead;

/// One record, or why it could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum Record {
    /// The fields of a well-formed record.
    Fields(Vec<String>),
    /// A malformed record (the reader has moved past it).
    Bad(String),
}

/// Reads records from a byte stream.
pub struct Reader<R> {
    src: R,
    buf: Vec<u8>,
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
            again: std::collections::VecDeque::new(),
            row: 0,
            bytes: 0,
        }
    }

    /// The next record, or `None` at the end.
    pub fn next_record(&mut self) -> Option<Record> {
        let mut fields: Vec<String> = Vec::new();
        let mut field: Vec<u8> = Vec::new();
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
                    for line in lines_read.into_iter().skip(1).rev() {
                        self.again.push_front(line);
                    }
                    return Some(Record::Bad("a quoted field is never closed (unbalanced quotes)".into()));
                }
                fields.push(String::from_utf8_lossy(&field).into_owned());
                return Some(match bad {
                    Some(b) => Record::Bad(b),
                    None => Record::Fields(fields),
                });
            }
            any = true;
            self.bytes += n as u64;
            let line = std::mem::take(&mut self.buf);
            if in_quotes || lines_read.is_empty() {
                lines_read.push(line.clone());
            }
            let mut i = 0;
            while i < line.len() {
                let c = line[i];
                if in_quotes {
                    if c == b'"' {
                        if line.get(i + 1) == Some(&b'"') {
                            field.push(b'"');
                            i += 1;
                        } else {
                            in_quotes = false;
                            after_quote = true;
                        }
                    } else {
                        field.push(c);
                    }
                } else if c == b',' {
                    fields.push(String::from_utf8_lossy(&field).into_owned());
                    field.clear();
                    quoted = false;
                    after_quote = false;
                } else if c == b'\n' || (c == b'\r' && line.get(i + 1) == Some(&b'\n')) {
                    self.row += 1;
                    fields.push(String::from_utf8_lossy(&field).into_owned());
                    self.buf = line;
                    return Some(match bad {
                        Some(b) => Record::Bad(b),
                        None => Record::Fields(fields),
                    });
                } else if c == b'"' && field.is_empty() && !quoted {
                    in_quotes = true;
                    quoted = true;
                } else if c == b'"' || after_quote {
                    bad.get_or_insert_with(|| {
                        format!(
                            "a quote in the middle of field {} (unbalanced quotes)",
                            fields.len() + 1
                        )
                    });
                    field.push(c);
                } else {
                    field.push(c);
                }
                i += 1;
            }
            self.buf = line;
        }
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
        Record::Fields(v.iter().map(|s| s.to_string()).collect())
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

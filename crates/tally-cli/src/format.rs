//! The one home of number and table formatting for people: thousands separators,
//! singular and plural, and tables whose columns line up whatever they hold.
//!
//! Widths are counted in characters, not bytes, so "–" and "é" take one column.

/// 1234567 → "1,234,567" (tally-model's grouping, the one the dashboard shows too).
pub use tally_model::group_thousands as group;

/// "1 row", "2 rows", "1,000 rows": a count with its noun in the right number.
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!("{} {}", group(n), if n == 1 { singular } else { plural })
}

/// Cuts `text` to `width` characters, ending with "…" when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// How a column's cells sit in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table printed with every column as wide as its widest cell.
#[derive(Debug)]
pub struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[(&str, Align)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|(name, align)| (name.to_string(), *align))
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are empty, extra cells are dropped.
    pub fn push(&mut self, mut row: Vec<String>) {
        row.resize(self.columns.len(), String::new());
        self.rows.push(row);
    }

    /// The header and the rows, two spaces between columns, no trailing spaces.
    pub fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                std::iter::once(&self.columns[i].0)
                    .chain(self.rows.iter().map(|row| &row[i]))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let header: Vec<String> = self.columns.iter().map(|(name, _)| name.clone()).collect();
        let mut out = String::new();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                let pad = widths[i] - cell.chars().count();
                if i > 0 {
                    line.push_str("  ");
                }
                match self.columns[i].1 {
                    Align::Left => {
                        line.push_str(cell);
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                    Align::Right => {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(5_000_000), "5,000,000");
    }

    #[test]
    fn issue_13_counts_are_singular_or_plural() {
        assert_eq!(count(1, "row", "rows"), "1 row");
        assert_eq!(count(0, "row", "rows"), "0 rows");
        assert_eq!(count(2, "state", "states"), "2 states");
        assert_eq!(count(1200, "event", "events"), "1,200 events");
    }

    #[test]
    fn issue_13_table_columns_line_up() {
        let mut table = Table::new(&[
            ("group", Align::Left),
            ("events", Align::Right),
            ("known range", Align::Right),
        ]);
        table.push(vec!["AK".into(), "5".into(), "5,550–7,150".into()]);
        table.push(vec![
            "St. Paul/Minneapolis, MN and a very long name indeed".into(),
            "1,234".into(),
            "10–20".into(),
        ]);
        table.push(vec!["Española, NM".into(), "12".into(), "1–2".into()]);
        let text = table.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        // Every right-aligned column ends at the same character on every line.
        let end = lines[0].chars().count();
        for line in &lines {
            assert_eq!(line.chars().count(), end, "{text}");
        }
        assert!(lines[0].starts_with("group "));
        assert!(lines[2].contains("1,234"));
        let position = |line: &str, needle: &str| {
            let byte = line.find(needle).unwrap();
            line[..byte].chars().count() + needle.chars().count()
        };
        assert_eq!(position(lines[0], "events"), position(lines[1], "5"));
        assert_eq!(position(lines[0], "events"), position(lines[2], "1,234"));
        assert_eq!(position(lines[0], "events"), position(lines[3], "12"));
    }
}

//! Text from sources shown on a terminal: control characters are made visible.
//!
//! An article or a CSV cell can carry ESC sequences (which recolour, retitle or clear a
//! terminal), other C0/C1 controls and bidirectional overrides (which make text read
//! differently from what it is). Human-readable output escapes them as `\x1b` or
//! `\u{202e}`; JSON and CSV output carry the data as it is (their own quoting keeps it
//! inert).

use std::borrow::Cow;

/// Escapes every control character except line breaks and tabs (for messages that may
/// span lines).
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

/// Escapes every control character, line breaks included (for one line of a table).
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe(c) || keep(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_controls_are_escaped_and_plain_text_is_untouched() {
        assert_eq!(escape_for_terminal("No Kings ✊"), "No Kings ✊");
        assert!(matches!(escape_for_terminal("plain"), Cow::Borrowed(_)));
        assert_eq!(escape_for_terminal("a\u{1b}[2Jb\u{7}"), "a\\x1b[2Jb\\x07");
        assert_eq!(escape_for_terminal("two\nlines\tok"), "two\nlines\tok");
        assert_eq!(escape_line("two\nlines"), "two\\x0alines");
        assert_eq!(escape_line("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(escape_line("c1\u{9b}31m"), "c1\\x9b31m");
    }
}

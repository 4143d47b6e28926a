//! Text that crosses a trust boundary: what users type into single-line fields (which end up in
//! tag trailers), and what a repository holds that reaches a terminal.

use std::borrow::Cow;

/// Accepts a single-line field's value (`--incident`, `--summary`, `--reviewer`, `--reason`...):
/// refused when it holds a line break or any other control character, because those fields go
/// into an annotated tag's message, where a line break would forge a trailer
/// (`Reviewed-by:`, `Hotfix-Rollback-To:`) that `git interpret-trailers` then believes.
pub fn single_line(value: &str) -> Result<String, String> {
    match value.chars().find(|c| c.is_control()) {
        None => Ok(value.to_string()),
        Some(c) => Err(format!(
            "it holds the control character U+{:04X}{}: the field is one line of plain text, \
             because it goes into the tag's message and trailers, where a line break would \
             forge a trailer",
            c as u32,
            if c == '\n' || c == '\r' {
                " (a line break)"
            } else {
                ""
            }
        )),
    }
}

/// Makes text from a repository, a ledger or a server safe to print on a terminal: every
/// control character except line feed and tab is shown as `\xNN` (or `\u{NNNN}`), so a commit
/// subject cannot retitle the window, clear the screen or overwrite a line with a carriage
/// return. Colour sequences (`ESC [ ... m`) pass, as hotfix's own output uses them; an
/// injected one can only change a colour.
pub fn printable(text: &str) -> Cow<'_, str> {
    let needs = text.chars().any(|c| escaped(c) && c != '\n' && c != '\t');
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\u{1b}' {
            if let Some(len) = sgr_len(&text[i..]) {
                out.push_str(&text[i..i + len]);
                for _ in 1..text[i..i + len].chars().count() {
                    chars.next();
                }
                continue;
            }
        }
        if escaped(c) && c != '\n' && c != '\t' {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Tells whether a character is escaped when printed: the control characters, and the
/// bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what a
/// terminal shows (a subject could look like another).
fn escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The length of a colour sequence (`ESC [` digits and `;` then `m`) at the start of `s`.
fn sgr_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("\u{1b}[")?;
    let body = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (rest.as_bytes().get(body) == Some(&b'm')).then_some(2 + body + 1)
}

/// Shows text from a record on one line: line breaks and other control characters are
/// written as escapes, so a hand-edited ledger cannot print lines of its own.
pub fn single_line_view(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if escaped(c) {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_fields_refuse_line_breaks_and_control_characters() {
        assert_eq!(single_line("INC-4521").unwrap(), "INC-4521");
        assert_eq!(single_line("naïve café ✓").unwrap(), "naïve café ✓");
        for bad in [
            "a\nReviewed-by: Mallory",
            "a\rb",
            "a\u{1b}]0;x\u{7}",
            "tab\there",
        ] {
            assert!(single_line(bad).is_err(), "{bad:?}");
        }
        assert!(
            single_line("x\ny")
                .unwrap_err()
                .contains("U+000A (a line break)")
        );
    }

    #[test]
    fn printable_escapes_everything_but_colour() {
        assert_eq!(printable("fix: crash"), "fix: crash");
        assert_eq!(
            printable("\u{1b}]0;pwned\u{7}\u{1b}[2Jfix"),
            "\\x1b]0;pwned\\x07\\x1b[2Jfix"
        );
        assert_eq!(printable("a\rb\u{8}"), "a\\x0db\\x08");
        // A right-to-left override would show `fix: gnp.exe` as something else.
        assert_eq!(printable("fix: \u{202e}exe.png"), "fix: \\u{202e}exe.png");
        assert_eq!(single_line_view("a\u{2066}b"), "a\\u{2066}b");
        assert_eq!(
            printable("\u{1b}[1mbold\u{1b}[0m"),
            "\u{1b}[1mbold\u{1b}[0m"
        );
        assert_eq!(printable("\u{9b}2J"), "\\x9b2J");
        assert_eq!(printable("two\nlines\tok"), "two\nlines\tok");
        assert_eq!(printable("\u{1b}"), "\\x1b");
        assert_eq!(printable("\u{1b}[31"), "\\x1b[31");
    }
}

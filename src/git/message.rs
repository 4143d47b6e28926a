//! Commit message surgery: cherry-pick trailers and `Key: value` trailers. Pure text, no git.

/// The line git's `cherry-pick -x` writes, before the full sha and `)`.
const PICKED_PREFIX: &str = "(cherry picked from commit ";

/// Returns the message with `(cherry picked from commit <sha>)` appended as git's
/// `cherry-pick -x` appends it: after a one-paragraph message, a blank line then the line; after
/// an existing trailer block, the line joins the block without a blank line. Comment lines
/// (`# Conflicts:` and the like) never reach the result.
pub fn append_picked_from(message: &str, sha: &str) -> String {
    let mut body: Vec<&str> = message.lines().filter(|l| !l.starts_with('#')).collect();
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    let mut out = body.join("\n");
    if !out.is_empty() {
        out.push('\n');
        if !ends_with_trailer_block(&body) {
            out.push('\n');
        }
    }
    out.push_str(PICKED_PREFIX);
    out.push_str(sha);
    out.push_str(")\n");
    out
}

/// Tells whether the last paragraph of a message (never the subject paragraph) is made of
/// trailers: `Key: value` lines, `(cherry picked from commit ...)` lines and their indented
/// continuations.
fn ends_with_trailer_block(lines: &[&str]) -> bool {
    let Some(blank) = lines.iter().rposition(|l| l.trim().is_empty()) else {
        return false; // a single paragraph is the subject, never a trailer block
    };
    let block = &lines[blank + 1..];
    !block.is_empty()
        && block
            .iter()
            .enumerate()
            .all(|(i, l)| is_trailer_line(l) || (i > 0 && l.starts_with(char::is_whitespace)))
}

fn is_trailer_line(line: &str) -> bool {
    if line.starts_with(PICKED_PREFIX) {
        return true;
    }
    match line.split_once(':') {
        Some((key, value)) => {
            !key.is_empty()
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && (value.is_empty() || value.starts_with(' '))
        }
        None => false,
    }
}

/// Returns the shas named by `(cherry picked from commit <sha>)` lines, in message order: the
/// last one is the immediate source, earlier ones are the chain behind it.
pub fn picked_from(message: &str) -> Vec<String> {
    message
        .lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix(PICKED_PREFIX)?;
            let sha = rest.strip_suffix(')')?.trim();
            (sha.len() >= 4 && sha.chars().all(|c| c.is_ascii_hexdigit())).then(|| sha.to_string())
        })
        .collect()
}

/// Returns the values of a trailer such as `Reviewed-by` in the message's last paragraph.
pub fn trailer_values(message: &str, key: &str) -> Vec<String> {
    let lines: Vec<&str> = message.lines().collect();
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map(|i| i + 1)
        .unwrap_or(0);
    let start = lines[..end]
        .iter()
        .rposition(|l| l.trim().is_empty())
        .map(|i| i + 1)
        .unwrap_or(end);
    if start == 0 {
        return Vec::new();
    }
    lines[start..end]
        .iter()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(key)
                .then(|| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// Returns the first line of a message.
pub fn subject(message: &str) -> &str {
    message.lines().next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn one_line_subject_gets_a_blank_line_first() {
        assert_eq!(
            append_picked_from("fix: crash\n", SHA),
            format!("fix: crash\n\n(cherry picked from commit {SHA})\n")
        );
    }

    #[test]
    fn a_subject_that_looks_like_a_trailer_is_still_a_subject() {
        assert_eq!(
            append_picked_from("Fix: crash", SHA),
            format!("Fix: crash\n\n(cherry picked from commit {SHA})\n")
        );
    }

    #[test]
    fn existing_trailer_block_is_extended_without_blank_line() {
        let msg = "fix: crash\n\nBody text.\n\nSigned-off-by: A <a@x>\nReviewed-by: B <b@x>\n";
        assert_eq!(
            append_picked_from(msg, SHA),
            format!(
                "fix: crash\n\nBody text.\n\nSigned-off-by: A <a@x>\nReviewed-by: B <b@x>\n(cherry picked from commit {SHA})\n"
            )
        );
    }

    #[test]
    fn message_without_final_newline_and_body_paragraph() {
        assert_eq!(
            append_picked_from("fix: crash\n\nA body line", SHA),
            format!("fix: crash\n\nA body line\n\n(cherry picked from commit {SHA})\n")
        );
    }

    #[test]
    fn conflict_comment_lines_never_reach_the_commit() {
        let msg = "fix: crash\n\n# Conflicts:\n#\tsrc/a.rs\n";
        assert_eq!(
            append_picked_from(msg, SHA),
            format!("fix: crash\n\n(cherry picked from commit {SHA})\n")
        );
    }

    #[test]
    fn chained_pick_appends_to_the_previous_pick_line() {
        let once = append_picked_from("fix: crash\n", SHA);
        let twice = append_picked_from(&once, "fedcba9876543210fedcba9876543210fedcba98");
        assert_eq!(
            picked_from(&twice),
            vec![
                SHA.to_string(),
                "fedcba9876543210fedcba9876543210fedcba98".to_string()
            ]
        );
        assert!(!twice.contains(")\n\n("));
    }

    #[test]
    fn trailers_are_read_from_the_last_paragraph_only() {
        let msg = "Reviewed-by: nobody\n\nbody\n\nReviewed-by: Ann <ann@x>\nreviewed-by: Bo\n";
        assert_eq!(
            trailer_values(msg, "Reviewed-by"),
            vec!["Ann <ann@x>", "Bo"]
        );
        assert!(trailer_values("Reviewed-by: subject only", "Reviewed-by").is_empty());
    }

    #[test]
    fn picked_from_ignores_malformed_lines() {
        assert!(picked_from("(cherry picked from commit nothex)\n").is_empty());
        assert_eq!(
            picked_from("x\n\n(cherry picked from commit abcd123)"),
            vec!["abcd123"]
        );
    }
}

//! The audit's document: the rows with their period and totals (JSON, and what the markdown and
//! HTML templates receive), and its CSV.

use serde::Serialize;

use crate::audit::Row;
use crate::metrics::Month;

#[derive(Debug, Clone, Serialize)]
pub struct Document<'a> {
    pub schema: u32,
    pub since: Month,
    pub until: Month,
    /// The environment that counts as production (the last of `deploy.environments`).
    pub production: &'a str,
    /// Where today's policy comes from (each row names the policy it shipped under).
    pub policy_now: String,
    pub totals: Totals,
    pub hotfixes: &'a [Row],
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Totals {
    pub rows: usize,
    /// Patch tags without a record.
    pub no_record: usize,
    /// Rows with at least one missing step.
    pub incomplete: usize,
    pub overridden: usize,
    pub unsigned_tags: usize,
}

impl Totals {
    fn add(&mut self, r: &Row) {
        self.rows += 1;
        self.no_record += usize::from(!r.record);
        self.incomplete += usize::from(!r.missing.is_empty());
        self.overridden += usize::from(!r.overrides.is_empty());
        self.unsigned_tags += usize::from(r.tag.as_ref().is_some_and(|t| t.signature.is_none()));
    }

    fn sum(mut self, other: Totals) -> Totals {
        self.rows += other.rows;
        self.no_record += other.no_record;
        self.incomplete += other.incomplete;
        self.overridden += other.overridden;
        self.unsigned_tags += other.unsigned_tags;
        self
    }
}

impl<'a> Document<'a> {
    pub fn new(
        rows: &'a [Row],
        since: Month,
        until: Month,
        production: &'a str,
        policy_now: &impl std::fmt::Display,
    ) -> Document<'a> {
        let mut totals = Totals::default();
        for r in rows {
            totals.add(r);
        }
        Document {
            totals,
            hotfixes: rows,
            ..Document::head(since, until, production, policy_now)
        }
    }

    /// The document without its rows, for `Stream`, which writes them as it builds them.
    pub fn head(
        since: Month,
        until: Month,
        production: &'a str,
        policy_now: &impl std::fmt::Display,
    ) -> Document<'a> {
        Document {
            schema: 1,
            since,
            until,
            production,
            policy_now: policy_now.to_string(),
            totals: Totals::default(),
            hotfixes: &[],
        }
    }
}

/// The formats written directly rather than through a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The built-in `audit.md`.
    Markdown,
    Json,
}

/// Writes an audit whose rows are built as they are written, on every core, in runs of 256:
/// ten thousand rows are never all held at once, and the totals are counted on the way. `head`
/// has the period and the policy; the parts come out in order, to be written one after the
/// other.
pub fn stream<T: Send>(
    format: Written,
    mut head: Document,
    items: Vec<T>,
    build: impl Fn(T) -> Row + Sync,
) -> Vec<String> {
    use rayon::prelude::*;
    let runs: Vec<(String, Totals)> = items
        .into_par_iter()
        .chunks(256)
        .map(|items| {
            let mut text = String::with_capacity(items.len() * 1024);
            let mut totals = Totals::default();
            for item in items {
                let row = build(item);
                totals.add(&row);
                match format {
                    Written::Markdown => markdown_section(&mut text, &row),
                    Written::Json => json_row(&mut text, &row),
                }
            }
            (text, totals)
        })
        .collect();
    head.totals = runs
        .iter()
        .fold(Totals::default(), |all, (_, t)| all.sum(*t));
    let mut parts: Vec<String> = Vec::with_capacity(runs.len() + 2);
    match format {
        Written::Markdown => {
            parts.push(markdown_head(&head));
            parts.extend(runs.into_iter().map(|(text, _)| text));
        }
        Written::Json => {
            let (open, close) = json_frame(&head);
            parts.push(open);
            parts.extend(runs.into_iter().map(|(text, _)| text));
            // The last row's comma closes the list instead.
            if let Some(last) = parts.last_mut().filter(|_| head.totals.rows > 0) {
                last.truncate(last.len() - 2);
            }
            parts.push(close);
        }
    }
    parts
}

/// The document as the markdown template reads it: every string from the ledger or a tag made
/// safe for a table cell (`|` escaped, line breaks as spaces), so a reason cannot add a column
/// or a row.
pub fn for_markdown(doc: &Document) -> serde_json::Value {
    fn cellsafe(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::String(s) => Value::String(s.replace('|', "\\|").replace(['\n', '\r'], " ")),
            Value::Array(a) => Value::Array(a.into_iter().map(cellsafe).collect()),
            Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, v)| (k, cellsafe(v))).collect())
            }
            other => other,
        }
    }
    cellsafe(serde_json::to_value(doc).expect("serializes"))
}

/// The audit as the built-in `templates/audit.md` renders it, written directly, each hotfix's
/// section on every core: evaluating the template costs a second for ten thousand hotfixes.
/// Used when the repository does not override the template; a test holds it to the template's
/// output, byte for byte. Every string is made safe for a table cell, as `for_markdown` does.
/// The text comes in parts, to be written one after the other.
pub fn markdown(doc: &Document) -> Vec<String> {
    stream(
        Written::Markdown,
        doc.clone(),
        doc.hotfixes.iter().collect(),
        Row::clone,
    )
}

/// The markdown before the first section (and, with no row, all of it).
fn markdown_head(doc: &Document) -> String {
    let t = &doc.totals;
    let mut out = format!(
        "# Emergency changes: {} to {}\n\n\
         {} hotfix(es) in the period; {} patch tag(s) with no record;\n\
         {} with a missing step; {} with a rule overridden;\n\
         {} unsigned tag(s). Production is `{}`. Today's policy:\n\
         {}. Built by `hotfix audit` from the ledger and the tags.\n",
        doc.since,
        doc.until,
        t.rows,
        t.no_record,
        t.incomplete,
        t.overridden,
        t.unsigned_tags,
        md(doc.production),
        md(&doc.policy_now),
    );
    if t.rows == 0 {
        out.push_str("\nNo hotfix and no patch tag in these months.\n");
    }
    out
}

/// A string made safe for a markdown table cell: `|` escaped, line breaks as spaces.
fn md(text: &str) -> std::borrow::Cow<'_, str> {
    if cell_safe(text) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    push_md(&mut out, text);
    out.into()
}

/// Whether `text` can stand in a markdown table cell as it is. A byte loop: the cells are
/// short, and `contains` with a set of chars is slow on them.
fn cell_safe(text: &str) -> bool {
    !text.bytes().any(|b| matches!(b, b'|' | b'\n' | b'\r'))
}

/// Pushes `text` made safe for a markdown table cell (`|` escaped, line breaks as spaces)
/// without a copy.
fn push_md(o: &mut String, text: &str) {
    if cell_safe(text) {
        o.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '|' => o.push_str("\\|"),
            '\n' | '\r' => o.push(' '),
            c => o.push(c),
        }
    }
}

/// What the template prints for an optional string: the text, else `otherwise`; an empty
/// string counts as none, as in the template's tests.
fn push_md_or(o: &mut String, value: &Option<String>, otherwise: &str) {
    match value.as_deref() {
        Some(v) if !v.is_empty() => push_md(o, v),
        _ => o.push_str(otherwise),
    }
}

/// A time as the JSON and the templates spell it (chrono's serde form: RFC 3339, `Z`, the
/// fraction only when there is one, in 3, 6 or 9 digits).
fn iso(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Pushes `iso(t)`, written digit by digit for the years 0 to 9999 (forty thousand times in an
/// audit of ten thousand hotfixes); other years, and a leap second, as chrono writes them.
fn push_iso(o: &mut String, t: &chrono::DateTime<chrono::Utc>) {
    use chrono::{Datelike, Timelike};
    let (year, nanos) = (t.year(), t.nanosecond());
    let Ok(year @ 0..=9999) = u32::try_from(year) else {
        return o.push_str(&iso(t));
    };
    if nanos >= 1_000_000_000 {
        return o.push_str(&iso(t));
    }
    let mut text = *b"0000-00-00T00:00:00.000000000Z";
    let mut put = |at: usize, width: usize, mut value: u32| {
        for i in (at..at + width).rev() {
            text[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, year);
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    let digits = match nanos {
        0 => 0,
        n if n % 1_000_000 == 0 => 3,
        n if n % 1_000 == 0 => 6,
        _ => 9,
    };
    put(20, 9, nanos);
    let end = if digits == 0 { 19 } else { 20 + digits };
    text[end] = b'Z';
    o.push_str(std::str::from_utf8(&text[..=end]).expect("ASCII digits"));
}

/// The first `n` characters, as the template's `[:n]` slice.
fn first_chars(text: &str, n: usize) -> &str {
    text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i])
}

/// Pushes each item with `each`, `; ` between them, or `otherwise` when there is none.
fn push_list<T>(o: &mut String, items: &[T], otherwise: &str, each: impl Fn(&mut String, &T)) {
    if items.is_empty() {
        return o.push_str(otherwise);
    }
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            o.push_str("; ");
        }
        each(o, item);
    }
}

fn markdown_section(o: &mut String, h: &Row) {
    use std::fmt::Write;
    // What a step says, by whom and when; in an environment, with its name first.
    let said = |o: &mut String, s: &crate::audit::Step| {
        push_md(o, &s.detail);
        o.push_str(", by ");
        push_md(o, &s.by);
        o.push_str(" at ");
        push_iso(o, &s.at);
    };
    let step = |o: &mut String, s: &crate::audit::Step| {
        if let Some(e) = s.env.as_deref().filter(|e| !e.is_empty()) {
            push_md(o, e);
            o.push_str(": ");
        }
        said(o, s);
    };
    // Who, from where, verified or not: the start of an approval and a reviewer alike.
    let person = |o: &mut String, name: &str, source: &str, verified: bool| {
        push_md(o, name);
        o.push_str(" (");
        push_md(o, source);
        o.push_str(if verified {
            ", verified"
        } else {
            ", unverified"
        });
    };
    o.push_str("\n## ");
    push_md(o, &h.id);
    if !h.record {
        o.push_str(": no record");
    }
    o.push_str("\n\n| | |\n| --- | --- |\n| State | ");
    push_md(o, &h.state);
    o.push_str(" |\n| Line | ");
    push_md_or(o, &h.line, "none");
    o.push_str(" |\n| Incident | ");
    push_md_or(o, &h.incident, "none recorded");
    o.push_str(" |\n| Severity | ");
    match h.severity.value.as_deref() {
        Some(v) if !v.is_empty() => {
            push_md(o, v);
            o.push_str(" (declared by the shipper: ");
            push_md_or(o, &h.severity.declared_by, "unknown");
            o.push_str(", at start; nothing verifies it)");
        }
        _ => o.push_str("none declared"),
    }
    o.push_str(" |\n| Detected | ");
    match &h.detected_at {
        Some(t) => push_iso(o, t),
        None => o.push_str("not recorded"),
    }
    o.push_str(" |\n| Started | ");
    match &h.started_at {
        Some(t) => {
            push_iso(o, t);
            o.push_str(" by ");
            push_md_or(o, &h.started_by, "unknown");
        }
        None => o.push_str("no record"),
    }
    o.push_str(" |\n| Shipped | ");
    match &h.shipped_at {
        Some(t) => {
            push_iso(o, t);
            o.push_str(" by ");
            push_md_or(o, &h.shipper, "unknown");
        }
        None => o.push_str("not shipped"),
    }
    o.push_str(" |\n| Tag | ");
    match &h.tag {
        Some(t) => {
            push_md(o, &t.name);
            o.push_str(" at ");
            o.push_str(first_chars(&md(&t.commit), 12));
            o.push_str(", ");
            match t.signature.as_deref() {
                Some(sig) if !sig.is_empty() => {
                    o.push_str("signed (");
                    push_md(o, sig);
                    o.push(')');
                }
                _ => o.push_str("unsigned"),
            }
            if !t.annotated {
                o.push_str(", lightweight");
            }
        }
        None => o.push_str("not in this clone"),
    }
    o.push_str(" |\n| Approval | ");
    push_list(o, &h.approvals, "none", |o, a| {
        person(o, &a.name, &a.source, a.verified);
        if a.counted {
            o.push_str(", counted");
        }
        if a.after_ship {
            o.push_str(", after the ship");
        }
        o.push(')');
    });
    if let Some(rule) = h.approval_rule.as_deref().filter(|r| !r.is_empty()) {
        o.push_str(" (rule: ");
        push_md(o, rule);
        o.push(')');
    }
    o.push_str(" |\n| Reviewers | ");
    push_list(o, &h.reviewers, "none", |o, r| {
        person(o, &r.name, &r.source, r.verified);
        o.push(')');
    });
    o.push_str(" |\n| Overrides | ");
    push_list(o, &h.overrides, "none", |o, x| {
        o.push('`');
        push_md(o, &x.rule);
        o.push_str("`: ");
        push_md(o, &x.reason);
    });
    o.push_str(" |\n| Policy in force | ");
    match &h.policy {
        Some(p) => {
            push_md(o, &p.source);
            if let Some(c) = p.commit.as_deref().filter(|c| !c.is_empty()) {
                o.push_str(" at ");
                o.push_str(first_chars(&md(c), 12));
            }
            if let Some(d) = p.digest.as_deref().filter(|d| !d.is_empty()) {
                o.push_str(" (");
                push_md(o, d);
                o.push(')');
            }
        }
        None => o.push_str("not recorded"),
    }
    o.push_str(" |\n| Deployed | ");
    push_list(o, &h.deployments, "not deployed", step);
    o.push_str(" |\n| Validated | ");
    push_list(o, &h.verifications, "not validated", step);
    o.push_str(" |\n| Rolled back | ");
    push_list(o, &h.rollbacks, "no", step);
    o.push_str(" |\n| Retro | ");
    match &h.retro {
        Some(r) => {
            push_md(o, &r.detail);
            o.push_str(" by ");
            push_md(o, &r.by);
            o.push_str(" at ");
            push_iso(o, &r.at);
        }
        None => o.push_str("none"),
    }
    let _ = write!(
        o,
        "; {} of {} action item(s) open |",
        h.actions.open, h.actions.of
    );
    for (label, step) in [("Imported", &h.imported), ("Abandoned", &h.abandoned)] {
        if let Some(s) = step {
            o.push_str("\n| ");
            o.push_str(label);
            o.push_str(" | ");
            said(o, s);
            o.push_str(" |");
        }
    }
    o.push_str("\n| Missing | ");
    push_list(o, &h.missing, "nothing", |o, m| push_md(o, m));
    o.push_str(" |\n");
}

/// The document as pretty JSON, each hotfix serialized on every core: the same text as
/// `serde_json::to_string_pretty(doc)`, which a test holds it to.
pub fn json(doc: &Document) -> String {
    stream(
        Written::Json,
        doc.clone(),
        doc.hotfixes.iter().collect(),
        Row::clone,
    )
    .concat()
}

/// The JSON around the rows: the document up to its list of hotfixes (the last field), and
/// what closes them.
fn json_frame(head: &Document) -> (String, String) {
    let text = serde_json::to_string_pretty(&Document {
        hotfixes: &[],
        ..head.clone()
    })
    .expect("serializes");
    if head.totals.rows == 0 {
        return (text + "\n", String::new());
    }
    let open = text
        .strip_suffix("[]\n}")
        .expect("hotfixes is the document's last field");
    (format!("{open}[\n"), "\n  ]\n}\n".to_string())
}

/// One row of the list, two levels in (JSON strings hold no raw line break, so each line is
/// whole), and a comma.
fn json_row(o: &mut String, r: &Row) {
    let row = serde_json::to_string_pretty(r).expect("serializes");
    for line in row.lines() {
        o.push_str("    ");
        o.push_str(line);
        o.push('\n');
    }
    o.pop();
    o.push_str(",\n");
}

/// One line per row; lists joined with `; `; an empty cell says `none`, so nothing is blank.
pub fn csv(rows: &[Row]) -> String {
    let header = [
        "id",
        "record",
        "state",
        "line",
        "incident",
        "severity (declared by the shipper)",
        "severity declared by",
        "detected at",
        "started at",
        "shipped at",
        "shipper",
        "tag",
        "tag signed",
        "approval rule",
        "approvers",
        "reviewers",
        "overrides",
        "policy in force",
        "deployed",
        "validated",
        "rollbacks",
        "retro",
        "open action items",
        "missing",
        "imported",
    ];
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    };
    let list = |items: Vec<String>| (!items.is_empty()).then(|| items.join("; "));
    let verified = |v: bool| if v { "verified" } else { "unverified" };
    let steps = |steps: &[crate::audit::Step]| {
        list(
            steps
                .iter()
                .map(|s| {
                    format!(
                        "{}{} by {} at {}",
                        s.env
                            .as_deref()
                            .map(|e| format!("{e}: "))
                            .unwrap_or_default(),
                        s.detail,
                        s.by,
                        s.at.format("%Y-%m-%dT%H:%M:%SZ")
                    )
                })
                .collect(),
        )
    };
    let mut out = header.join(",") + "\n";
    for r in rows {
        let cells: Vec<Option<String>> = vec![
            Some(r.id.clone()),
            Some(if r.record { "yes" } else { "no record" }.into()),
            Some(r.state.clone()),
            r.line.clone(),
            r.incident.clone(),
            r.severity.value.clone(),
            r.severity.declared_by.clone(),
            time(r.detected_at),
            time(r.started_at),
            time(r.shipped_at),
            r.shipper.clone(),
            r.tag.as_ref().map(|t| t.name.clone()),
            r.tag.as_ref().map(|t| {
                t.signature
                    .clone()
                    .unwrap_or_else(|| "unsigned".to_string())
            }),
            r.approval_rule.clone(),
            list(
                r.approvals
                    .iter()
                    .map(|a| {
                        format!(
                            "{} ({}, {}{}{})",
                            a.name,
                            a.source,
                            verified(a.verified),
                            if a.counted { ", counted" } else { "" },
                            if a.after_ship { ", after the ship" } else { "" }
                        )
                    })
                    .collect(),
            ),
            list(
                r.reviewers
                    .iter()
                    .map(|p| format!("{} ({}, {})", p.name, p.source, verified(p.verified)))
                    .collect(),
            ),
            list(
                r.overrides
                    .iter()
                    .map(|o| format!("{}: {}", o.rule, o.reason))
                    .collect(),
            ),
            r.policy.as_ref().map(|p| {
                let mut s = p.source.clone();
                if let Some(c) = &p.commit {
                    s.push_str(&format!(" at {}", first_chars(c, 12)));
                }
                if let Some(d) = &p.digest {
                    s.push_str(&format!(" ({d})"));
                }
                s
            }),
            steps(&r.deployments),
            steps(&r.verifications),
            steps(&r.rollbacks),
            r.retro
                .as_ref()
                .map(|s| format!("{} by {} at {}", s.detail, s.by, s.at.format("%Y-%m-%d"))),
            Some(format!("{} of {}", r.actions.open, r.actions.of)),
            list(r.missing.clone()),
            r.imported
                .as_ref()
                .map(|s| format!("{} by {} at {}", s.detail, s.by, s.at.format("%Y-%m-%d"))),
        ];
        let line: Vec<String> = cells
            .into_iter()
            .map(|c| cell(c.as_deref().unwrap_or("none")))
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// A CSV cell (RFC 4180 quoting). A cell a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return first) gets a leading `'`: the text comes from commits and
/// the ledger, which anyone who can push writes.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain"), "plain");
    }

    #[test]
    fn markdown_cells_cannot_add_columns_or_rows() {
        let rows = [crate::audit::untracked(
            "v1.0.1",
            &crate::git::TagEvidence {
                annotated: true,
                tagger: Some("Eve | x\n| forged | row".into()),
                time: 0,
                commit: crate::git::Oid::from_str("1111111111111111111111111111111111111111")
                    .unwrap(),
                signature: None,
            },
            "1.0".into(),
        )];
        let m = Month::parse("2026-01").unwrap();
        let doc = Document::new(&rows, m, m, "production", &"builtin");
        let v = for_markdown(&doc);
        assert_eq!(v["hotfixes"][0]["shipper"], "Eve \\| x \\| forged \\| row");
    }

    /// Rows that take every branch of the template: each optional field present or not, and
    /// strings that are empty, hold `|` or a line break, or are long and not ASCII.
    fn varied_rows(n: usize) -> Vec<Row> {
        use crate::audit::{Approval, Override, Person, Policy, Step};
        let seed = std::cell::Cell::new(0x2545_f491_4f6c_dd1d_u64);
        let next = || {
            let mut x = seed.get();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            seed.set(x);
            x
        };
        let texts = [
            "",
            "plain",
            "a|b",
            "two\nlines\r",
            "ünïcödé-ζ|0123456789abcdef",
            "none",
        ];
        let text = || texts[(next() % texts.len() as u64) as usize].to_string();
        let mut rows = Vec::new();
        for k in 0..n {
            let bits = next();
            let on = |b: u32| bits & (1 << b) != 0;
            let t = chrono::DateTime::from_timestamp(
                1_770_000_000 + k as i64 * 3_601,
                if on(30) { 5_000_000 } else { 0 },
            )
            .unwrap();
            let opt = |b: u32, v: String| on(b).then_some(v);
            let step = |b: u32, env: Option<String>, detail: String| {
                on(b).then(|| {
                    Box::new(Step {
                        by: detail.clone() + " <x@y>",
                        at: t,
                        env,
                        detail,
                    })
                })
            };
            let mut row = if on(0) {
                crate::audit::untracked(
                    &format!("v1.{k}.1"),
                    &crate::git::TagEvidence {
                        annotated: on(1),
                        tagger: opt(2, text()),
                        time: t.timestamp(),
                        commit: crate::git::Oid::from_str(
                            "0123456789abcdef0123456789abcdef01234567",
                        )
                        .unwrap(),
                        signature: on(3).then_some("ssh"),
                    },
                    "1.0".into(),
                )
            } else {
                let trail = crate::ledger::Trail {
                    state: text(),
                    line: opt(1, text()),
                    incident: opt(2, text()),
                    severity: crate::audit::Severity {
                        value: opt(3, text()),
                        declared_by: opt(4, text()),
                    },
                    summary: opt(5, text()),
                    detected_at: on(6).then_some(t),
                    started_at: on(7).then_some(t),
                    started_by: opt(8, text()),
                    shipped_at: on(9).then_some(t),
                    shipper: opt(10, text()),
                    tag: opt(11, text()),
                    approval_rule: opt(12, text()),
                    approvals: (0..next() % 3)
                        .map(|i| Approval {
                            name: text(),
                            source: text(),
                            verified: i == 0,
                            counted: on(13),
                            after_ship: on(14),
                        })
                        .collect(),
                    reviewers: (0..next() % 3)
                        .map(|i| Person {
                            name: text(),
                            source: text(),
                            verified: i == 1,
                        })
                        .collect(),
                    overrides: (0..next() % 3)
                        .map(|_| Override {
                            rule: text(),
                            reason: text(),
                        })
                        .collect(),
                    policy: on(15).then(|| {
                        Box::new(Policy {
                            source: text(),
                            commit: opt(16, text()),
                            digest: opt(17, text()),
                        })
                    }),
                    deployments: (0..next() % 3)
                        .map(|_| Step {
                            by: text(),
                            at: t,
                            env: Some(text()),
                            detail: text(),
                        })
                        .collect(),
                    verifications: (0..next() % 3)
                        .map(|_| Step {
                            by: text(),
                            at: t,
                            env: opt(18, text()),
                            detail: text(),
                        })
                        .collect(),
                    rollbacks: (0..next() % 2)
                        .map(|_| Step {
                            by: text(),
                            at: t,
                            env: opt(19, text()),
                            detail: text(),
                        })
                        .collect(),
                    retro: step(20, None, text()),
                    actions: crate::audit::Actions {
                        open: (next() % 3) as usize,
                        of: 3,
                    },
                    abandoned: step(21, None, text()),
                    imported: step(22, None, text()),
                };
                let ev = crate::git::TagEvidence {
                    annotated: on(23),
                    tagger: opt(24, text()),
                    time: t.timestamp(),
                    commit: crate::git::Oid::from_str("89abcdef0123456789abcdef0123456789abcdef")
                        .unwrap(),
                    signature: on(25).then_some("pgp"),
                };
                crate::audit::row(
                    format!("v2.{k}.1{}", text()),
                    trail,
                    on(26).then_some(&ev),
                    &text(),
                )
            };
            if on(27) {
                row.missing.clear();
            }
            rows.push(row);
        }
        rows
    }

    #[test]
    fn times_are_written_as_chrono_writes_them() {
        use chrono::{DateTime, NaiveDate, Utc};
        let mut times: Vec<DateTime<Utc>> = Vec::new();
        for secs in [
            0,
            -1,
            1_770_000_000,
            253_402_300_799,
            253_402_300_800,
            -62_167_219_200,
            -62_167_219_201,
        ] {
            for nanos in [0, 5_000_000, 120_000, 7, 999_999_999, 1_000_000] {
                times.extend(DateTime::from_timestamp(secs, nanos));
            }
        }
        // A leap second, as chrono holds one.
        times.push(
            NaiveDate::from_ymd_opt(2016, 12, 31)
                .unwrap()
                .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
                .unwrap()
                .and_utc(),
        );
        times.extend([DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC]);
        for t in times {
            let mut written = String::from("x");
            push_iso(&mut written, &t);
            assert_eq!(written, format!("x{}", iso(&t)), "{t:?}");
        }
    }

    #[test]
    fn the_written_markdown_is_the_built_in_template_byte_for_byte() {
        let m = Month::parse("2026-01").unwrap();
        for rows in [Vec::new(), varied_rows(1), varied_rows(300)] {
            let doc = Document::new(&rows, m, m, "pro|duction", &"mainline's .hotfix.toml");
            let template = crate::render::render_text(
                "built-in template audit.md",
                crate::render::builtin("audit.md"),
                &for_markdown(&doc),
            )
            .unwrap();
            let written = markdown(&doc).concat();
            if written != template {
                let at = written
                    .bytes()
                    .zip(template.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(written.len().min(template.len()));
                let from = at.saturating_sub(200);
                panic!(
                    "differs at byte {at}:\nwritten:  {:?}\ntemplate: {:?}",
                    &written[from..(at + 100).min(written.len())],
                    &template[from..(at + 100).min(template.len())]
                );
            }
        }
    }

    #[test]
    fn the_json_written_row_by_row_is_serdes_own() {
        let m = Month::parse("2026-01").unwrap();
        for rows in [Vec::new(), varied_rows(1), varied_rows(300)] {
            let doc = Document::new(&rows, m, m, "production", &"builtin");
            let whole = serde_json::to_string_pretty(&doc).unwrap() + "\n";
            assert_eq!(json(&doc), whole);
        }
    }

    #[test]
    fn csv_takes_any_text_without_panicking() {
        // A policy commit of non-ASCII text once panicked on a byte slice.
        let mut rows = varied_rows(300);
        rows[0].policy = Some(Box::new(crate::audit::Policy {
            source: "mainline".into(),
            commit: Some("aaaaaaaaaaaé and more".into()),
            digest: None,
        }));
        let text = csv(&rows);
        assert!(text.starts_with("id,record,state,"));
        assert!(text.contains("mainline at aaaaaaaaaaaé"), "{text}");
        assert!(text.contains("ünïcödé"), "the varied rows reach the CSV");
    }
}

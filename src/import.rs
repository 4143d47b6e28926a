//! Reading a file of past hotfixes for `hotfix import`: CSV (a header row, then one row per
//! hotfix) or JSON (an array of objects, or one object per line). The columns are exactly
//! `tag`, `incident`, `severity`, `detected_at`, `deployed_at`, `verified_at`, `rolled_back`,
//! `shipper`; only `tag` is required. Pure: bytes in, rows or the first bad row's error out.

use chrono::{DateTime, Utc};

use crate::metrics::Zone;

/// The columns a file may have, in the order the README documents them.
pub const COLUMNS: &[&str] = &[
    "tag",
    "incident",
    "severity",
    "detected_at",
    "deployed_at",
    "verified_at",
    "rolled_back",
    "shipper",
];

/// The severities `start --severity` takes.
pub const SEVERITIES: &[&str] = &["sev1", "sev2", "sev3", "sev4"];

/// One past hotfix, as the file gives it; `line` is the file's line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub tag: String,
    pub incident: Option<String>,
    pub severity: Option<String>,
    pub detected_at: Option<DateTime<Utc>>,
    pub deployed_at: Option<DateTime<Utc>>,
    pub verified_at: Option<DateTime<Utc>>,
    pub rolled_back: bool,
    pub shipper: Option<String>,
}

/// A row the file cannot give: its line and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Bad {
    pub line: usize,
    pub why: String,
}

fn bad(line: usize, why: impl Into<String>) -> Bad {
    Bad {
        line,
        why: why.into(),
    }
}

/// Reads the rows of a CSV or JSON file (JSON when its first non-blank byte is `[` or `{`).
/// Times without a zone are read in `zone`; with none given, such a time is a bad row.
pub fn read(content: &[u8], zone: Option<Zone>) -> Result<Vec<Row>, Bad> {
    let text = std::str::from_utf8(content).map_err(|e| {
        let line = 1 + content[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        bad(line, "the file is not UTF-8 text")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(bad(
            1,
            "the file is empty: it needs a header row (tag, ...) and a row per hotfix",
        ));
    }
    let rows = match text.trim_start().chars().next() {
        Some('[') | Some('{') => json_rows(text)?,
        _ => csv_rows(text)?,
    };
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for (line, fields) in rows {
        let row = row(line, &fields, zone)?;
        if let Some(first) = out.iter().find(|r| r.tag == row.tag) {
            return Err(bad(
                line,
                format!("{} is on line {} already", row.tag, first.line),
            ));
        }
        out.push(row);
    }
    Ok(out)
}

/// A row's fields by column; absent and empty are alike.
type Fields = Vec<(String, String)>;

fn check_columns(line: usize, names: &[String]) -> Result<(), Bad> {
    for n in names {
        if !COLUMNS.contains(&n.as_str()) {
            return Err(bad(
                line,
                format!(
                    "unknown column '{n}': the columns are {}",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    if let Some(dup) = names
        .iter()
        .enumerate()
        .find(|(i, n)| names[..*i].contains(n))
    {
        return Err(bad(line, format!("the column '{}' appears twice", dup.1)));
    }
    Ok(())
}

fn csv_rows(text: &str) -> Result<Vec<(usize, Fields)>, Bad> {
    // Lines counted from byte offsets: the csv crate's own count skips blank lines.
    // A record's position may be that of the blank lines before it.
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let mut end = (byte as usize).min(bytes.len());
        while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        1 + bytes[..end].iter().filter(|b| **b == b'\n').count()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(1, format!("the header row does not read as CSV: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    check_columns(1, &headers)?;
    if !headers.iter().any(|h| h == "tag") {
        return Err(bad(
            1,
            "there is no 'tag' column, and every row needs its tag",
        ));
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| line_at(p.byte()));
            bad(line, format!("the row does not read as CSV: {e}"))
        })?;
        let line = record.position().map_or(1, |p| line_at(p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let fields = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.clone(), v.to_string()))
            .collect();
        out.push((line, fields));
    }
    Ok(out)
}

fn json_rows(text: &str) -> Result<Vec<(usize, Fields)>, Bad> {
    let line_at = |offset: usize| 1 + text[..offset].bytes().filter(|b| *b == b'\n').count();
    let json_error = |e: serde_json::Error| bad(e.line(), format!("not JSON: {e}"));
    let raws: Vec<&serde_json::value::RawValue> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(json_error)?
    } else {
        serde_json::Deserializer::from_str(text)
            .into_iter::<&serde_json::value::RawValue>()
            .collect::<Result<_, _>>()
            .map_err(json_error)?
    };
    let mut out = Vec::new();
    for raw in raws {
        let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        let line = line_at(offset);
        let Pairs(object) = serde_json::from_str(raw.get())
            .map_err(|_| bad(line, "each hotfix is a JSON object of its columns"))?;
        let names: Vec<String> = object.iter().map(|(k, _)| k.clone()).collect();
        check_columns(line, &names)?;
        let mut fields = Vec::new();
        for (k, v) in &object {
            let text = match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(b) if k == "rolled_back" => b.to_string(),
                other => {
                    return Err(bad(
                        line,
                        format!(
                            "'{k}' is {other}: the columns are strings (rolled_back may be true or false)"
                        ),
                    ));
                }
            };
            fields.push((k.clone(), text));
        }
        out.push((line, fields));
    }
    Ok(out)
}

/// A JSON object's members in order, a repeated key kept twice (so it can be refused), where a
/// map would keep the last silently.
struct Pairs(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pairs, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Pairs;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Pairs, A::Error> {
                let mut out = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    out.push(pair);
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

fn row(line: usize, fields: &Fields, zone: Option<Zone>) -> Result<Row, Bad> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let text = |name: &str| -> Result<Option<String>, Bad> {
        match get(name) {
            None => Ok(None),
            Some(v) => crate::text::single_line(v)
                .map(Some)
                .map_err(|why| bad(line, format!("{name}: {why}"))),
        }
    };
    let time = |name: &str| -> Result<Option<DateTime<Utc>>, Bad> {
        get(name)
            .map(|v| {
                crate::timeparse::parse_in_zone(v, zone)
                    .map_err(|why| bad(line, format!("{name} '{v}': {why}")))
            })
            .transpose()
    };
    let tag = text("tag")?.ok_or_else(|| bad(line, "the tag is empty"))?;
    let severity = text("severity")?;
    if let Some(s) = &severity {
        if !SEVERITIES.contains(&s.as_str()) {
            return Err(bad(
                line,
                format!("severity '{s}' is not one of {}", SEVERITIES.join(", ")),
            ));
        }
    }
    let rolled_back = match get("rolled_back").map(str::to_ascii_lowercase).as_deref() {
        None | Some("false") | Some("no") | Some("0") => false,
        Some("true") | Some("yes") | Some("1") => true,
        Some(other) => {
            return Err(bad(
                line,
                format!("rolled_back '{other}' is not true or false (or yes, no, 1, 0)"),
            ));
        }
    };
    let row = Row {
        line,
        tag,
        incident: text("incident")?,
        severity,
        detected_at: time("detected_at")?,
        deployed_at: time("deployed_at")?,
        verified_at: time("verified_at")?,
        rolled_back,
        shipper: text("shipper")?,
    };
    if row.verified_at.is_some() && row.deployed_at.is_none() {
        return Err(bad(
            line,
            "verified_at without deployed_at: a release is validated where it was deployed",
        ));
    }
    for (earlier, e, later, l) in [
        (
            "detected_at",
            row.detected_at,
            "deployed_at",
            row.deployed_at,
        ),
        (
            "deployed_at",
            row.deployed_at,
            "verified_at",
            row.verified_at,
        ),
    ] {
        if let (Some(a), Some(b)) = (e, l) {
            if b < a {
                return Err(bad(line, format!("{later} is before {earlier}")));
            }
        }
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_with_line_numbers_and_zoneless_times() {
        let file = b"tag,detected_at,deployed_at,rolled_back\nv1.0.1,2024-03-31 01:30,2024-03-31T03:30:00+02:00,yes\n\nv1.0.2,,,\n";
        let rows = read(file, Zone::parse("Europe/Berlin")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[1].line), (2, 4));
        assert_eq!(
            rows[0].detected_at.unwrap().to_rfc3339(),
            "2024-03-31T00:30:00+00:00"
        );
        assert!(rows[0].rolled_back && !rows[1].rolled_back);
        let err = read(file, None).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.why.contains("--timezone"), "{}", err.why);
    }

    #[test]
    fn bad_rows_are_named_by_line() {
        let e = read(b"tag,when\nv1.0.1,x\n", None).unwrap_err();
        assert_eq!((e.line, e.why.contains("unknown column 'when'")), (1, true));
        let e = read(b"incident\nINC-1\n", None).unwrap_err();
        assert!(e.why.contains("no 'tag' column"));
        let e = read(b"tag,severity\nv1.0.1,sev9\n", None).unwrap_err();
        assert_eq!(e.line, 2);
        let e = read(b"tag\nv1.0.1\nv1.0.1\n", None).unwrap_err();
        assert_eq!((e.line, e.why.as_str()), (3, "v1.0.1 is on line 2 already"));
        let e = read(b"tag,shipper\nv1.0.1,\"a\nb\"\n", None).unwrap_err();
        assert!(e.why.contains("line break"), "{}", e.why);
        let e = read(b"[{\"tag\": \"v1.0.1\"},\n {\"tag\": 7}]", None).unwrap_err();
        assert_eq!(e.line, 2);
        let e = read(b"{\"tag\": \"v1.0.1\", \"tag\": \"v1.0.2\"}", None).unwrap_err();
        assert_eq!(e.why, "the column 'tag' appears twice");
        let t =
            crate::timeparse::parse_in_zone("2024-03-01T10:00:00.250", Zone::parse("UTC")).unwrap();
        assert_eq!(t.to_rfc3339(), "2024-03-01T10:00:00.250+00:00");
    }

    #[test]
    fn json_arrays_and_lines() {
        let a = read(b"[\n {\"tag\": \"v1.0.1\", \"rolled_back\": true}\n]", None).unwrap();
        assert_eq!((a[0].line, a[0].rolled_back), (2, true));
        let l = read(
            b"{\"tag\": \"v1.0.1\"}\n{\"tag\": \"v1.0.2\", \"severity\": null}\n",
            None,
        )
        .unwrap();
        assert_eq!((l[1].line, l[1].severity.clone()), (2, None));
    }
}

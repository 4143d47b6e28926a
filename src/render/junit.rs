//! `check --format junit`: the verdict as the JUnit XML that GitLab, Jenkins, Azure Pipelines
//! and CircleCI display natively. One test case per rule; a failed rule carries its evidence and
//! hint. Written with quick-xml, which escapes every text and attribute; characters XML 1.0
//! cannot hold at all (control characters a commit subject may carry) are spelled out first.
//! Pure: the rules in, the document out.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::policy::{RuleResult, Verdict};

/// What the document says about the range judged.
pub struct Suite<'a> {
    pub id: &'a str,
    pub base: &'a str,
    pub head: &'a str,
    pub verdict: &'a str,
}

/// The JUnit document for one check.
pub fn junit(suite: &Suite<'_>, results: &[RuleResult]) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    write(&mut w, suite, results).expect("writing to memory does not fail");
    let mut out =
        String::from_utf8(w.into_inner()).expect("quick-xml writes the UTF-8 it is given");
    out.push('\n');
    out
}

fn write(
    w: &mut Writer<Vec<u8>>,
    suite: &Suite<'_>,
    results: &[RuleResult],
) -> std::io::Result<()> {
    let count = |v: Verdict| {
        results
            .iter()
            .filter(|r| r.verdict == v)
            .count()
            .to_string()
    };
    let (tests, failures, skipped) = (
        results.len().to_string(),
        count(Verdict::Fail),
        count(Verdict::Skip),
    );
    let name = xml_text(&format!("hotfix check {}", suite.id));
    let classname = xml_text(&format!("hotfix.{}", suite.id));
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let totals = [
        ("tests", tests.as_str()),
        ("failures", failures.as_str()),
        ("errors", "0"),
        ("skipped", skipped.as_str()),
    ];
    w.create_element("testsuites")
        .with_attribute(("name", name.as_str()))
        .with_attributes(totals)
        .write_inner_content(|w| {
            w.create_element("testsuite")
                .with_attribute(("name", name.as_str()))
                .with_attributes(totals)
                .write_inner_content(|w| {
                    w.create_element("properties").write_inner_content(|w| {
                        for (key, value) in [
                            ("hotfix", suite.id),
                            ("base", suite.base),
                            ("head", suite.head),
                            ("verdict", suite.verdict),
                        ] {
                            w.create_element("property")
                                .with_attribute(("name", key))
                                .with_attribute(("value", xml_text(value).as_str()))
                                .write_empty()?;
                        }
                        Ok(())
                    })?;
                    for r in results {
                        testcase(w, &classname, r)?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

fn testcase(w: &mut Writer<Vec<u8>>, classname: &str, r: &RuleResult) -> std::io::Result<()> {
    let case = w
        .create_element("testcase")
        .with_attribute(("name", r.id))
        .with_attribute(("classname", classname));
    let detail = xml_text(&r.detail);
    match r.verdict {
        Verdict::Pass => {
            case.write_empty()?;
        }
        Verdict::Fail => {
            case.write_inner_content(|w| {
                w.create_element("failure")
                    .with_attribute(("message", detail.as_str()))
                    .with_attribute(("type", r.id))
                    .write_text_content(BytesText::new(&evidence(r)))?;
                Ok(())
            })?;
        }
        Verdict::Skip => {
            case.write_inner_content(|w| {
                w.create_element("skipped")
                    .with_attribute(("message", detail.as_str()))
                    .write_empty()?;
                Ok(())
            })?;
        }
        Verdict::Warn | Verdict::Overridden => {
            case.write_inner_content(|w| {
                w.create_element("system-out")
                    .write_text_content(BytesText::new(&evidence(r)))?;
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// A rule's verdict, detail, each item of evidence, the override reason and the hint, one per
/// line, as the human report gives them.
fn evidence(r: &RuleResult) -> String {
    let mut lines = vec![format!("{}: {}", r.verdict.as_str(), r.detail)];
    if let Some(reason) = &r.override_reason {
        lines.push(format!("overridden: {reason}"));
    }
    for item in &r.items {
        let label = item.label();
        lines.push(if label.is_empty() {
            format!("  {}", item.note)
        } else {
            format!("  {label}: {}", item.note)
        });
    }
    if let Some(h) = &r.hint {
        lines.push(format!("hint: {h}"));
    }
    xml_text(&lines.join("\n"))
}

/// Spells out the characters XML 1.0 cannot carry even escaped (control characters other than
/// tab and newlines, lone surrogates cannot occur in a `str`, U+FFFE and U+FFFF), as `\u{1b}`.
fn xml_text(text: &str) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    if text.chars().all(allowed) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if allowed(c) {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", c as u32)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_hold_are_spelled_out() {
        assert_eq!(xml_text("a\u{1b}[31mb\u{0}"), "a\\u{1b}[31mb\\u{0}");
        assert_eq!(xml_text("tab\tand\nnew"), "tab\tand\nnew");
        assert_eq!(xml_text("\u{FFFE}"), "\\u{fffe}");
    }
}

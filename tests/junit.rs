//! `hotfix check --format junit`: the JUnit XML that GitLab, Jenkins, Azure Pipelines and
//! CircleCI read, parsed here with a real XML parser and checked against the JSON verdict of the
//! same check.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Out, Sandbox};
use serde_json::Value;

fn parse(out: &Out) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.all()))
}

fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    n.attribute(name)
        .unwrap_or_else(|| panic!("<{}> has no {name}", n.tag_name().name()))
}

fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, tag: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(|c| c.is_element() && c.tag_name().name() == tag)
        .collect()
}

#[test]
fn a_failing_check_is_one_test_case_per_rule_with_the_evidence() {
    let (s, _fix) = Sandbox::started();
    let no_test = s.rev("origin/main");
    s.hotfix(&["pick", &no_test]).ok();
    // A subject with markup, a CDATA end and an escape character: all of it must come through
    // the XML as text, and the escape character (which XML 1.0 cannot hold) spelled out.
    let subject = "hand-made <b>&\"]]> \u{1b}[31m";
    s.commit(&[("notes.txt", "n\n")], subject);
    let head = s.rev("HEAD");
    let refs = s.refs();

    let json_out = s.hotfix(&["check", "--format", "json", "--reviewer", "rita"]);
    json_out.code(1);
    let verdict: Value = serde_json::from_str(&json_out.stdout).unwrap();
    let rules = verdict["rules"].as_array().unwrap();

    let out = s.hotfix(&["check", "--format", "junit", "--reviewer", "rita"]);
    out.code(1);
    assert!(
        out.stdout
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{}",
        out.stdout
    );
    assert_eq!(s.refs(), refs, "check changes nothing");
    let doc = parse(&out);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites = children(root, "testsuite");
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(attr(suite, "name"), "hotfix check v1.1.1");

    // The totals agree with the cases, and with the JSON verdict.
    let cases = children(suite, "testcase");
    let count = |v: &str| rules.iter().filter(|r| r["verdict"] == v).count();
    assert_eq!(cases.len(), rules.len());
    for n in [root, suite] {
        assert_eq!(attr(n, "tests"), rules.len().to_string());
        assert_eq!(attr(n, "failures"), count("fail").to_string());
        assert_eq!(attr(n, "skipped"), count("skip").to_string());
        assert_eq!(attr(n, "errors"), "0");
    }
    assert_eq!(count("fail"), 3, "{}", json_out.stdout);

    // The properties name the range judged.
    let props: Vec<(&str, &str)> = children(children(suite, "properties")[0], "property")
        .into_iter()
        .map(|p| (attr(p, "name"), attr(p, "value")))
        .collect();
    assert_eq!(
        props,
        [
            ("hotfix", "v1.1.1"),
            ("base", "v1.1.0"),
            ("head", head.as_str()),
            ("verdict", "fail")
        ]
    );

    // One case per rule, in the rules' order; each verdict where these systems look for it.
    for (case, rule) in cases.iter().zip(rules) {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(attr(*case, "name"), id);
        assert_eq!(attr(*case, "classname"), "hotfix.v1.1.1");
        let failure = children(*case, "failure");
        let skipped = children(*case, "skipped");
        match rule["verdict"].as_str().unwrap() {
            "fail" => {
                assert_eq!(failure.len(), 1, "{id}");
                assert_eq!(attr(failure[0], "type"), id);
                let detail = rule["detail"]
                    .as_str()
                    .unwrap()
                    .replace('\u{1b}', "\\u{1b}");
                assert_eq!(attr(failure[0], "message"), detail);
                let text = failure[0].text().unwrap();
                assert!(text.starts_with(&format!("fail: {detail}")), "{text}");
                if let Some(hint) = rule["hint"].as_str() {
                    assert!(text.ends_with(&format!("hint: {hint}")), "{text}");
                }
            }
            "skip" => {
                assert!(failure.is_empty());
                assert_eq!(
                    attr(skipped[0], "message"),
                    rule["detail"].as_str().unwrap()
                );
            }
            _ => assert!(failure.is_empty() && skipped.is_empty(), "{id}"),
        }
    }

    // The evidence of from-mainline names the commit; its subject survives the XML intact.
    let from_mainline = cases
        .iter()
        .find(|c| attr(**c, "name") == "from-mainline")
        .unwrap();
    let text = children(*from_mainline, "failure")[0].text().unwrap();
    assert!(text.contains("hand-made <b>&\"]]> \\u{1b}[31m"), "{text}");
    assert!(text.contains(&head[..10]), "{text}");
    assert!(!out.stdout.contains('\u{1b}'), "no raw escape character");
}

#[test]
fn a_passing_check_has_no_failure() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let out = s.hotfix(&[
        "check",
        "--format",
        "junit",
        "--reviewer",
        "Rita <rita@example.com>",
    ]);
    out.ok();
    let doc = parse(&out);
    let root = doc.root_element();
    assert_eq!(attr(root, "failures"), "0");
    assert!(doc.descendants().all(|n| n.tag_name().name() != "failure"));
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "testcase")
        .map(|n| attr(n, "name"))
        .collect();
    assert!(names.contains(&"regression-test"), "{names:?}");
    assert!(names.contains(&"from-mainline"), "{names:?}");
}

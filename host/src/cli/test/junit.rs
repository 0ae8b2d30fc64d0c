//! `missions test --format junit`: the results as JUnit XML, the format CI servers read. One
//! `<testsuite>` per case file, one `<testcase>` per case; a pack or file that could not run is a
//! suite with one `<error>`.

use std::fmt::Write as _;

use super::run::PackRun;

/// Text safe inside an XML attribute or element: the five special characters escaped, and the
/// control characters XML 1.0 cannot carry dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(runs: &[PackRun]) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"missions test\">\n");
    for run in runs {
        let pack = escape(&run.dir.display().to_string());
        for d in &run.problems {
            let _ = writeln!(
                x,
                "  <testsuite name=\"{pack}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"load\" classname=\"{pack}\">\n      <error message=\"{}\">{}</error>\n    </testcase>\n  </testsuite>",
                escape(&d.message),
                escape(&d.to_string())
            );
        }
        for r in &run.files {
            let suite = escape(&r.file.display().to_string());
            let _ = writeln!(
                x,
                "  <testsuite name=\"{suite}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
                r.cases.len(),
                r.failed()
            );
            for c in &r.cases {
                let head =
                    format!("    <testcase name=\"{}\" classname=\"{pack}.{}\"", escape(&c.name), escape(&r.entry));
                match &c.failure {
                    None => {
                        let _ = writeln!(x, "{head}/>");
                    }
                    Some(why) => {
                        let mut body = format!("{why}\nat {}", c.location);
                        for d in c.diffs.iter().skip(1) {
                            let _ = write!(body, "\n{d}");
                        }
                        let _ = writeln!(
                            x,
                            "{head}>\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                            escape(why),
                            escape(&body)
                        );
                    }
                }
            }
            x.push_str("  </testsuite>\n");
        }
    }
    x.push_str("</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn special_and_control_characters_never_break_the_document() {
        assert_eq!(escape("a<b & \"c\" 'd'>\u{1}e"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;e");
    }
}

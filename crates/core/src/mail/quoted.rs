//! The quoted parts of a plain-text reply (`>` lines, "On … wrote:" and
//! "-----Original Message-----" blocks), so a reader can fold them away.

/// A run of lines of a plain-text body, quoted or not; the runs joined with `\n` give
/// the text back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run<'a> {
    pub quoted: bool,
    pub text: &'a str,
}

/// The line that introduces a quote: "On Mon, 7 Dec 2026, Ann <a@x> wrote:", its
/// Chinese form "在 2026年12月7日，Ann 写道：", and Outlook's separator (everything
/// after which is the earlier mail).
fn attribution(line: &str) -> Attribution {
    let t = line.trim();
    let lower = t.to_lowercase();
    if lower.starts_with("-----original message-----") || t.starts_with("-----原始邮件-----") {
        return Attribution::RestIsQuoted;
    }
    let english = lower.starts_with("on ") && lower.ends_with("wrote:");
    let chinese = t.starts_with('在') && (t.ends_with("写道：") || t.ends_with("写道:"));
    if english || chinese {
        Attribution::Quote
    } else {
        Attribution::None
    }
}

#[derive(PartialEq)]
enum Attribution {
    None,
    Quote,
    RestIsQuoted,
}

fn is_quote_line(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// Splits `text` into runs; an attribution line goes with the quote after it, blank
/// lines between quoted lines stay in the quote.
pub fn runs(text: &str) -> Vec<Run<'_>> {
    let lines: Vec<(usize, &str)> = line_starts(text);
    let mut quoted = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].1;
        match attribution(line) {
            Attribution::RestIsQuoted => {
                quoted[i..].iter_mut().for_each(|q| *q = true);
                break;
            }
            Attribution::Quote if next_content(&lines, i + 1).is_some_and(is_quote_line) => {
                quoted[i] = true;
            }
            _ => quoted[i] = is_quote_line(line),
        }
        i += 1;
    }
    // Blank lines inside a quote belong to it.
    for i in 0..lines.len() {
        if !quoted[i] && lines[i].1.trim().is_empty() {
            let before = (0..i).rev().find(|&j| !lines[j].1.trim().is_empty());
            let after = (i + 1..lines.len()).find(|&j| !lines[j].1.trim().is_empty());
            if let (Some(b), Some(a)) = (before, after) {
                quoted[i] = quoted[b] && quoted[a];
            }
        }
    }
    let mut out: Vec<Run<'_>> = Vec::new();
    let mut start = 0;
    for i in 1..=lines.len() {
        if i == lines.len() || quoted[i] != quoted[start] {
            let from = lines[start].0;
            let to = if i == lines.len() {
                text.len()
            } else {
                // Without the newline that ends the run.
                lines[i].0 - 1
            };
            out.push(Run {
                quoted: quoted[start],
                text: &text[from..to],
            });
            start = i;
        }
    }
    out
}

fn next_content<'a>(lines: &[(usize, &'a str)], from: usize) -> Option<&'a str> {
    lines[from.min(lines.len())..]
        .iter()
        .map(|(_, l)| *l)
        .find(|l| !l.trim().is_empty())
}

/// (byte offset, line without its `\n`) for every line.
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        out.push((at, line));
        at += line.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Vec<(bool, &str)> {
        runs(text).into_iter().map(|r| (r.quoted, r.text)).collect()
    }

    #[test]
    fn a_reply_folds_the_attribution_and_its_quote() {
        let text =
            "Thanks, 500 pcs.\n\nOn Mon, 7 Dec 2026, Ann <a@x.com> wrote:\n> Price?\n>\n> Ann\n";
        assert_eq!(
            shape(text),
            vec![
                (false, "Thanks, 500 pcs.\n"),
                (
                    true,
                    "On Mon, 7 Dec 2026, Ann <a@x.com> wrote:\n> Price?\n>\n> Ann"
                ),
                (false, ""),
            ]
        );
    }

    #[test]
    fn quotes_between_answers_are_folded_one_by_one() {
        let text = "> a?\nyes\n\n> b?\n\n> c?\nno";
        assert_eq!(
            shape(text),
            vec![
                (true, "> a?"),
                (false, "yes\n"),
                (true, "> b?\n\n> c?"),
                (false, "no")
            ]
        );
    }

    #[test]
    fn outlook_and_chinese_attributions() {
        let text = "ok\n-----Original Message-----\nFrom: B\nhi";
        assert_eq!(
            shape(text),
            vec![
                (false, "ok"),
                (true, "-----Original Message-----\nFrom: B\nhi")
            ]
        );
        let zh = "好的\n在 2026年12月7日，Ann 写道：\n> 价格？";
        assert_eq!(
            shape(zh),
            vec![
                (false, "好的"),
                (true, "在 2026年12月7日，Ann 写道：\n> 价格？")
            ]
        );
    }

    #[test]
    fn a_sentence_ending_in_wrote_is_not_a_quote_without_one() {
        assert_eq!(
            shape("On Monday he wrote:\nwe agree"),
            vec![(false, "On Monday he wrote:\nwe agree")]
        );
        assert_eq!(shape(""), vec![(false, "")]);
    }
}

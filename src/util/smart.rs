//! Typographic punctuation for plain text written in TOML (titles, roles, summaries): straight
//! quotes become curly ones, `--` an en dash, `---` an em dash and `...` an ellipsis, as
//! pulldown-cmark's smart punctuation does for the Markdown texts, so the two read alike.

/// `s` with typographic quotes, dashes and ellipses.
pub fn punctuate(s: &str) -> String {
    if !s.contains(['\'', '"', '-', '.']) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = out.chars().last();
        // Opening after the start, a space, an opening bracket, a dash or another opening quote.
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{–—-/“‘".contains(p));
        match c {
            '"' => out.push(if opening { '“' } else { '”' }),
            // An apostrophe inside a word (Kerry's) or before digits ('67) is a right quote too.
            '\'' => out.push(
                if opening && !chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                    '‘'
                } else {
                    '’'
                },
            ),
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('—');
                    i += 1;
                } else {
                    out.push('–');
                }
                i += 1;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::punctuate;

    #[test]
    fn quotes_curl_as_in_markdown() {
        assert_eq!(
            punctuate("Kerry's \"last chance\""),
            "Kerry’s “last chance”"
        );
        assert_eq!(
            punctuate("'Forty-sixty', he said"),
            "‘Forty-sixty’, he said"
        );
        assert_eq!(punctuate("the '67 lines"), "the ’67 lines");
        assert_eq!(punctuate("(\"why?\")"), "(“why?”)");
        assert_eq!(
            punctuate("1962--1967 --- and so on..."),
            "1962–1967 — and so on…"
        );
        assert_eq!(punctuate("Already “curly”"), "Already “curly”");
    }
}

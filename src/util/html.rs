//! The one HTML tokenizer, for the HTML users write themselves (templates, raw HTML in a
//! chapter): tags with their attributes, text, comments, in one linear pass. It is forgiving as
//! browsers are (a stray `<` is text, a tag that never ends runs to the end), never panics on any
//! input (it cuts the text only at ASCII bytes, so always on character boundaries), and every
//! range it gives is a range of the input. The HTML Dossier writes itself is never parsed again:
//! the Markdown renderer says what it made.

use std::ops::Range;

/// One piece of an HTML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// Text between tags (raw: character references are not decoded).
    Text(&'a str),
    Tag(Tag<'a>),
    /// A comment, a doctype or a processing instruction: nothing a page shows.
    Other,
}

/// A start or end tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// As written (compare with `eq_ignore_ascii_case`).
    pub name: &'a str,
    pub closing: bool,
    /// Where the tag is in the input, `<` to `>`.
    pub range: Range<usize>,
    /// The attributes' part of the tag, and where it starts in the input.
    attrs: &'a str,
    attrs_at: usize,
}

/// An attribute of a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'a> {
    pub name: &'a str,
    /// The value as written (character references not decoded); empty when there is none.
    pub value: &'a str,
    /// Where the value is in the input (inside the quotes, when quoted).
    pub range: Range<usize>,
    pub quoted: bool,
}

/// Elements whose content is text, never tags.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// The tokens of `html`, in order.
pub fn tokens(html: &str) -> Tokens<'_> {
    Tokens {
        html,
        at: 0,
        raw_until: None,
    }
}

/// The iterator of [`tokens`].
pub struct Tokens<'a> {
    html: &'a str,
    at: usize,
    /// Inside a raw text element: the name whose end tag ends it.
    raw_until: Option<&'a str>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (Token<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (html, b) = (self.html, self.html.as_bytes());
        let start = self.at;
        if start >= b.len() {
            return None;
        }
        if let Some(name) = self.raw_until.take() {
            let end = find_end_tag(html, start, name).unwrap_or(b.len());
            if end > start {
                self.at = end;
                return Some((Token::Text(&html[start..end]), start..end));
            }
        }
        if b[start] != b'<' {
            let end = next_tag_start(b, start + 1);
            self.at = end;
            return Some((Token::Text(&html[start..end]), start..end));
        }
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            let end = find(b, start + 4, b"-->").map_or(b.len(), |e| e + 3);
            self.at = end;
            return Some((Token::Other, start..end));
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            let end = memchr::memchr(b'>', &b[start..]).map_or(b.len(), |e| start + e + 1);
            self.at = end;
            return Some((Token::Other, start..end));
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_at = start + 1 + usize::from(closing);
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
            // A stray `<`: text, up to the next `<`.
            let end = next_tag_start(b, start + 1);
            self.at = end;
            return Some((Token::Text(&html[start..end]), start..end));
        }
        let name = &html[name_at..name_at + name_len];
        let end = tag_end(b, name_at + name_len);
        let attrs_end = if end > name_at + name_len && b[end - 1] == b'>' {
            end - 1
        } else {
            end
        };
        self.at = end;
        if !closing && RAW_TEXT.iter().any(|r| r.eq_ignore_ascii_case(name)) {
            self.raw_until = Some(name);
        }
        let tag = Tag {
            name,
            closing,
            range: start..end,
            attrs: &html[name_at + name_len..attrs_end],
            attrs_at: name_at + name_len,
        };
        Some((Token::Tag(tag), start..end))
    }
}

/// The next `<` at or after `from` that may start a tag, or the end.
fn next_tag_start(b: &[u8], from: usize) -> usize {
    memchr::memchr(b'<', b.get(from..).unwrap_or_default()).map_or(b.len(), |k| from + k)
}

/// Just past the `>` that ends a tag whose attributes start at `from` (a `>` inside a quoted
/// value does not end it); the end of the input when none does.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() {
        match memchr::memchr3(b'>', b'"', b'\'', &b[i..]) {
            Some(k) if b[i + k] == b'>' => return i + k + 1,
            Some(k) => {
                let q = b[i + k];
                // Only a quote that opens a value (after `=`, spaces allowed) is one.
                let opens = b[from..i + k]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace())
                    == Some(&b'=');
                i = if opens {
                    memchr::memchr(q, &b[i + k + 1..]).map_or(b.len(), |e| i + k + 1 + e + 1)
                } else {
                    i + k + 1
                };
            }
            None => return b.len(),
        }
    }
    b.len()
}

/// Where `</name` (any case) starts at or after `from`.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let b = html.as_bytes();
    let mut i = from;
    while let Some(k) = find(b, i, b"</") {
        let n = &b[k + 2..];
        if n.len() >= name.len() && n[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(k);
        }
        i = k + 2;
    }
    None
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|k| from + k)
}

impl<'a> Tag<'a> {
    /// Is this tag named `name` (any case)?
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// Its attributes, in order.
    pub fn attrs(&self) -> impl Iterator<Item = Attr<'a>> + 'a {
        let (s, base) = (self.attrs, self.attrs_at);
        let b = s.as_bytes();
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                return None;
            }
            let name_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
                i += 1;
            }
            if i == name_start {
                // An `=` with no name before it: skip it.
                i += 1;
                return Some(Attr {
                    name: "",
                    value: "",
                    range: base + name_start..base + name_start,
                    quoted: false,
                });
            }
            let name = &s[name_start..i];
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] != b'=' {
                return Some(Attr {
                    name,
                    value: "",
                    range: base + i..base + i,
                    quoted: false,
                });
            }
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (value, quoted) = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e);
                    i = (close + 1).min(b.len());
                    (j + 1..close, true)
                }
                _ => {
                    let stop = b[j..]
                        .iter()
                        .position(|c| c.is_ascii_whitespace())
                        .map_or(b.len(), |e| j + e);
                    i = stop;
                    (j..stop, false)
                }
            };
            Some(Attr {
                name,
                value: &s[value.clone()],
                range: base + value.start..base + value.end,
                quoted,
            })
        })
        .filter(|a| !a.name.is_empty())
    }

    /// The value of attribute `name` (any case), if the tag has it.
    pub fn attr(&self, name: &str) -> Option<Attr<'a>> {
        self.attrs().find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// Attributes whose value is a URL a page links to or loads.
pub fn is_url_attr(name: &str) -> bool {
    ["href", "src", "poster"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Tags = Vec<(String, bool, Vec<(String, String)>)>;

    fn tags(html: &str) -> Tags {
        tokens(html)
            .filter_map(|(t, _)| match t {
                Token::Tag(t) => Some((
                    t.name.to_string(),
                    t.closing,
                    t.attrs()
                        .map(|a| (a.name.to_string(), a.value.to_string()))
                        .collect(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tags_attributes_and_their_ranges() {
        let html = r#"<p id="a">x <a href='b c' data-x=y hidden>y</a></p>"#;
        let got = tags(html);
        assert_eq!(got[0], ("p".into(), false, vec![("id".into(), "a".into())]));
        assert_eq!(
            got[1].2,
            vec![
                ("href".into(), "b c".into()),
                ("data-x".into(), "y".into()),
                ("hidden".into(), "".into())
            ]
        );
        assert_eq!(got[2], ("a".into(), true, vec![]));
        for (t, _) in tokens(html) {
            if let Token::Tag(t) = t {
                for a in t.attrs() {
                    assert_eq!(&html[a.range.clone()], a.value);
                }
            }
        }
    }

    #[test]
    fn quotes_hide_the_end_of_a_tag_and_raw_text_hides_tags() {
        let got = tags(r#"<a title="x > y" href="z">t</a><script>if (a<b) { "<p>" }</script><p>"#);
        assert_eq!(got[0].2[0], ("title".into(), "x > y".into()));
        let names: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(names, ["a", "a", "script", "script", "p"]);
    }

    #[test]
    fn stray_characters_are_text_and_nothing_panics() {
        for html in [
            "<div é>x</div>",
            "a < b",
            "<",
            "<a href=\"",
            "<a href='x",
            "<!--",
            "<é>",
            "</",
            "<a =x>",
            "é<a é=é>é",
            "<p\u{300}>",
        ] {
            let mut covered = 0;
            for (_, r) in tokens(html) {
                assert_eq!(r.start, covered, "{html:?}");
                covered = r.end;
                if let Token::Tag(t) = tokens(html)
                    .map(|x| x.0)
                    .find(|t| matches!(t, Token::Tag(_)))
                    .unwrap_or(Token::Other)
                {
                    for a in t.attrs() {
                        assert!(
                            html.is_char_boundary(a.range.start)
                                && html.is_char_boundary(a.range.end)
                        );
                    }
                }
            }
            assert_eq!(covered, html.len(), "{html:?}");
        }
        assert_eq!(tags("<div é>x</div>")[0].0, "div");
    }
}

//! Escaping for the places Dossier writes text into: HTML (element content and quoted attribute
//! values alike, one function from `pulldown-cmark-escape`: `& < > " '` become entities) and
//! JSON inside a `<script>` element. Tera's autoescape uses the same HTML function.

use std::io;

/// `text` escaped for HTML element content or a quoted attribute value.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// `text` escaped for HTML, appended to `out`.
pub fn html_into(out: &mut String, text: &str) {
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// Tera's escape function (its signature): [`html`] written to `out`.
pub fn html_to_writer(text: &str, out: &mut dyn io::Write) -> io::Result<()> {
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(out), text)
}

/// JSON for a `<script>` element: `<`, `>` and `&` (and the line separators JavaScript once
/// refused in strings) escaped, so content can never close the element or open a comment.
pub fn script_json(v: &serde_json::Value) -> String {
    let json = serde_json::to_string(v).unwrap_or_default();
    // Most JSON-LD has none of them (U+2028 and U+2029 start with the byte E2).
    let b = json.as_bytes();
    if memchr::memchr3(b'<', b'>', b'&', b).is_none() && memchr::memchr(0xE2, b).is_none() {
        return json;
    }
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_the_five_characters() {
        assert_eq!(
            html("Kerry's \"plan\" <b> & more"),
            "Kerry&#39;s &quot;plan&quot; &lt;b&gt; &amp; more"
        );
        assert_eq!(html("é plain"), "é plain");
        let mut w = Vec::new();
        html_to_writer("<'&'>", &mut w).unwrap();
        assert_eq!(String::from_utf8(w).unwrap(), "&lt;&#39;&amp;&#39;&gt;");
    }

    #[test]
    fn json_cannot_close_a_script() {
        let s = script_json(&serde_json::json!({"x": "</script><script>alert(1)</script>"}));
        assert!(!s.contains("</"));
        assert!(s.contains("\\u003c/script\\u003e"));
        let s = script_json(&serde_json::json!({"x": "a & b \u{2028}\u{2029} é <!--"}));
        assert_eq!(s, "{\"x\":\"a \\u0026 b \\u2028\\u2029 é \\u003c!--\"}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&s).unwrap()["x"],
            "a & b \u{2028}\u{2029} é <!--"
        );
    }
}

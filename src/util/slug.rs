//! Slugs: the lowercase kebab-case ids that become paths and anchors ("naftali-bennett").
//! Any text is transliterated to ASCII first (`deunicode`), so "Élodie Ångström" gives
//! `elodie-angstrom`, "Lech Wałęsa" `lech-walesa` and "Москва" `moskva`.

/// Is `id` a safe lowercase kebab-case slug (it becomes a path)?
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A kebab-case slug made from any text ("Naftali Bennett" → "naftali-bennett"): letters and
/// digits (transliterated to ASCII) are kept, lowercased; spaces, `-`, `_` and `/` become single
/// hyphens; everything else (punctuation, apostrophes) is dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '/')
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c, &mut out);
        } else if c.is_whitespace() {
            push(' ', &mut out);
        } else if let Some(ascii) = deunicode::deunicode_char(c) {
            for a in ascii.chars() {
                push(a, &mut out);
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_kebab_case() {
        assert!(is_slug("john-kerry"));
        assert!(is_slug("a1"));
        for bad in [
            "../x", "John", "a--b", "-a", "a/b", "a\\b", "", "a\0b", "a b",
        ] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn slugify_keeps_ascii_words_and_drops_punctuation() {
        assert_eq!(slugify("Moshe Ya’alon"), "moshe-yaalon");
        assert_eq!(slugify("Rome, at last!"), "rome-at-last");
        assert_eq!(slugify("  The — end  "), "the-end");
        assert_eq!(slugify("a_b/c"), "a-b-c");
        assert_eq!(slugify("“Quoted”"), "quoted");
    }

    #[test]
    fn slugify_transliterates_other_scripts() {
        assert_eq!(slugify("Élodie Ångström"), "elodie-angstrom");
        assert_eq!(slugify("Lech Wałęsa"), "lech-walesa");
        assert_eq!(slugify("Москва"), "moskva");
        assert_eq!(slugify("Ça va, Zoë?"), "ca-va-zoe");
        assert!(
            is_slug(&slugify("北京 Beijing")),
            "{}",
            slugify("北京 Beijing")
        );
    }
}

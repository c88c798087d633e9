//! Words, as the index stores them and `static/search.js` looks them up: [`for_each_token`] cuts
//! a text into runs of letters and digits, lowercased and with the diacritics of Latin letters
//! dropped. The JavaScript client tokenises a query the same way (`tokens` in `search.js`), so a
//! change here is a change of the index format. Which text is tokenised, and how its words are
//! weighed, belongs to `records` and `postings`.

/// Longer runs of letters are not words anyone searches for (and would bloat a shard).
const TOKEN_BYTES: usize = 64;

/// Diacritics dropped from U+00C0–U+017F: each character's first one in its canonical
/// decomposition (NFD), as `static/search.js` computes with `normalize("NFD")`.
const FOLD: [char; 192] = [
    'A', 'A', 'A', 'A', 'A', 'A', 'Æ', 'C', 'E', 'E', 'E', 'E', 'I', 'I', 'I', 'I', 'Ð', 'N', 'O',
    'O', 'O', 'O', 'O', '×', 'Ø', 'U', 'U', 'U', 'U', 'Y', 'Þ', 'ß', 'a', 'a', 'a', 'a', 'a', 'a',
    'æ', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i', 'ð', 'n', 'o', 'o', 'o', 'o', 'o', '÷', 'ø',
    'u', 'u', 'u', 'u', 'y', 'þ', 'y', 'A', 'a', 'A', 'a', 'A', 'a', 'C', 'c', 'C', 'c', 'C', 'c',
    'C', 'c', 'D', 'd', 'Đ', 'đ', 'E', 'e', 'E', 'e', 'E', 'e', 'E', 'e', 'E', 'e', 'G', 'g', 'G',
    'g', 'G', 'g', 'G', 'g', 'H', 'h', 'Ħ', 'ħ', 'I', 'i', 'I', 'i', 'I', 'i', 'I', 'i', 'I', 'ı',
    'Ĳ', 'ĳ', 'J', 'j', 'K', 'k', 'ĸ', 'L', 'l', 'L', 'l', 'L', 'l', 'Ŀ', 'ŀ', 'Ł', 'ł', 'N', 'n',
    'N', 'n', 'N', 'n', 'ŉ', 'Ŋ', 'ŋ', 'O', 'o', 'O', 'o', 'O', 'o', 'Œ', 'œ', 'R', 'r', 'R', 'r',
    'R', 'r', 'S', 's', 'S', 's', 'S', 's', 'S', 's', 'T', 't', 'T', 't', 'Ŧ', 'ŧ', 'U', 'u', 'U',
    'u', 'U', 'u', 'U', 'u', 'U', 'u', 'U', 'u', 'W', 'w', 'Y', 'y', 'Y', 'Z', 'z', 'Z', 'z', 'Z',
    'z', 'ſ',
];

fn fold(c: char) -> char {
    match c as u32 {
        0xC0..=0x17F => FOLD[c as usize - 0xC0],
        _ => c,
    }
}

/// Calls `f` with each word of `text` as the index stores it: a run of letters and digits
/// (`char::is_alphanumeric`, `/[\p{Alphabetic}\p{N}]+/u` in JavaScript), lowercased, with the
/// diacritics of Latin letters dropped. A possessive "s" after an apostrophe (' or ’) is dropped:
/// "Abbas's" is "abbas"; "don't" is "don" and "t". No stemming. Runs over 64 bytes are skipped.
/// `static/search.js` (`tokens`) must do the same.
pub fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let b = text.as_bytes();
    let mut buf = String::new();
    let mut i = 0;
    while i < b.len() {
        // Past what is not a word.
        match ASCII_CLASS[b[i] as usize] {
            OTHER => {
                i += 1;
                continue;
            }
            NON_ASCII => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !c.is_alphanumeric() {
                    i += c.len_utf8();
                    continue;
                }
            }
            _ => {}
        }
        // A word: ASCII letters and digits by table, anything else by `char`.
        let start = i;
        let (mut ascii, mut classes) = (true, 0u8);
        while i < b.len() {
            let class = ASCII_CLASS[b[i] as usize];
            if class == OTHER {
                break;
            }
            if class == NON_ASCII {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !c.is_alphanumeric() {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
                continue;
            }
            classes |= class;
            i += 1;
        }
        let run = &text[start..i];
        if run.len() > TOKEN_BYTES || ((run == "s" || run == "S") && possessive(&text[..start])) {
            continue;
        }
        if ascii && classes & UPPER == 0 {
            f(run);
        } else {
            buf.clear();
            if ascii {
                buf.extend(run.bytes().map(|c| c.to_ascii_lowercase() as char));
            } else {
                buf.extend(run.to_lowercase().chars().map(fold));
            }
            f(&buf);
        }
    }
}

/// What a byte is to [`for_each_token`]: ASCII that is not a letter or digit, a lowercase
/// letter or digit, an uppercase letter, or part of a non-ASCII character.
const OTHER: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const NON_ASCII: u8 = 4;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b >= 0x80 {
            NON_ASCII
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_alphanumeric() {
            LOWER
        } else {
            OTHER
        };
        c += 1;
    }
    t
};

/// Whether `before` ends with a word and an apostrophe (so an "s" after it is a possessive).
fn possessive(before: &str) -> bool {
    let mut back = before.chars().rev();
    matches!(back.next(), Some('\'' | '\u{2019}')) && back.next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_token(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_are_lowercased_without_diacritics_or_punctuation_or_possessives() {
        assert_eq!(words("The STORM, at sea!"), ["the", "storm", "at", "sea"]);
        assert_eq!(
            words("Élodie’s café in Zürich; Øresund, Łódź"),
            ["elodie", "cafe", "in", "zurich", "øresund", "łodz"]
        );
        assert_eq!(
            words("Abbas's deal, don't, rock 'n' roll, 's"),
            ["abbas", "deal", "don", "t", "rock", "n", "roll", "s"]
        );
        assert_eq!(words("1890-05-03 (No. 7)"), ["1890", "05", "03", "no", "7"]);
        assert_eq!(
            words("Ὀδυσσεύς Москва 東京"),
            ["ὀδυσσεύς", "москва", "東京"]
        );
        assert_eq!(
            words(&"x".repeat(65)),
            Vec::<String>::new(),
            "runs over 64 bytes are not words"
        );
        assert_eq!(words(""), Vec::<String>::new());
    }

    #[test]
    fn the_fold_table_maps_accented_latin_letters_to_their_base() {
        assert_eq!(fold('é'), 'e');
        assert_eq!(fold('Ç'), 'C');
        assert_eq!(fold('ÿ'), 'y');
        assert_eq!(fold('ž'), 'z');
        assert_eq!(fold('æ'), 'æ', "no canonical decomposition");
        assert_eq!(fold('ß'), 'ß');
        assert_eq!(fold('ſ'), 'ſ');
    }
}

//! The first mistakes of someone writing their own documentary (issue 22), each on the small
//! Apollo 11 fixture (`tests/fixtures/apollo`, which checks cleanly): each must give one clear
//! error, located, with the fix, and these tests hold the exact text the writer sees.

mod common;

use std::process::Command;

use common::*;

/// The apollo fixture with `files` written over it, checked: the diagnostics as printed.
fn check(files: &[(&str, &str)]) -> String {
    let f = Fixture::new("apollo");
    for (path, text) in files {
        f.write(path, text);
    }
    messages(&dossier::check(&f.options()).expect("no I/O error"))
}

/// A file of the fixture with `from` replaced by `to` (which must be there).
fn edited(path: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(fixtures().join("apollo").join(path)).unwrap();
    assert!(text.contains(from), "{path} lacks {from:?}");
    text.replacen(from, to, 1)
}

#[test]
fn the_fixture_is_clean() {
    assert_eq!(check(&[]), "0 errors, 0 warnings");
}

#[test]
fn an_empty_title_is_an_error() {
    let chapter = "content/chapters/02-eagle-has-landed.md";
    let text = edited(chapter, "title = \"The Eagle Has Landed\"", "title = \"\"");
    assert_eq!(
        check(&[(chapter, &text)]),
        r#"content/chapters/02-eagle-has-landed.md:2:9: error: the chapter's title is empty
  |
2 | title = ""
  |         ^^
  = help: a chapter needs a title, its heading and its name in every list: write it between the quotes

1 error, 0 warnings"#
    );
}

#[test]
fn two_chapters_with_one_number_name_both_files() {
    let text = "+++\ntitle = \"The Lunar Module\"\nsources = [\"press-kit\"]\n+++\n\nNeil Armstrong flew it.\n";
    assert_eq!(
        check(&[("content/chapters/02-the-lunar-module.md", text)]),
        r#"content/chapters/02-the-lunar-module.md:1:1: error: two chapters have the number 2: content/chapters/02-eagle-has-landed.md and content/chapters/02-the-lunar-module.md
  |
1 | +++
  | ^
  = help: chapters are ordered by the number their file name starts with: give each its own

1 error, 0 warnings"#
    );
}

#[test]
fn a_one_digit_month_says_to_write_two() {
    let events = "content/events/apollo.toml";
    let text = edited(events, "date = \"1969-07-20\"", "date = \"1969-7-24\"");
    assert_eq!(
        check(&[(events, &text)]),
        r#"content/events/apollo.toml:11:8: error: invalid date "1969-7-24": months and days take two digits: write "1969-07-24"
   |
11 | date = "1969-7-24"
   |        ^^^^^^^^^^^

1 error, 0 warnings"#
    );
}

#[test]
fn new_event_passes_the_date_message_through() {
    let f = Fixture::new("apollo");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "new",
            "event",
            "Splashdown",
            "--date",
            "1969-12-5",
            "--root",
        ])
        .arg(f.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --date: invalid date \"1969-12-5\": months and days take two digits: write \"1969-12-05\"\n"
    );
}

#[test]
fn an_unquoted_date_says_dates_are_strings_and_the_rest_still_loads() {
    let person = "content/people/wernher-von-braun.toml";
    // The unknown source after the date is reported too: the rest of the file was read.
    let text = edited(
        person,
        "born = \"1912-03-23\"",
        "born = 1912-03-23\nsources = [\"nope\"]",
    );
    assert_eq!(
        check(&[(person, &text)]),
        r#"content/people/wernher-von-braun.toml:4:8: error: dates are strings in Dossier: write born = "1912-03-23"
  |
4 | born = 1912-03-23
  |        ^^^^^^^^^^

content/people/wernher-von-braun.toml:5:12: error: unknown source "nope"
  |
5 | sources = ["nope"]
  |            ^^^^^^

2 errors, 0 warnings"#
    );
}

#[test]
fn files_that_are_not_read_are_reported() {
    let chapter =
        std::fs::read_to_string(fixtures().join("apollo/content/chapters/02-eagle-has-landed.md"))
            .unwrap();
    let person = "name = \"Buzz Aldrin\"\n";
    assert_eq!(
        check(&[
            ("content/chapters/part-two/03-return.md", &chapter),
            ("content/chapters/04-splashdown.markdown", &chapter),
            ("content/people/crew/buzz-aldrin.toml", person),
        ]),
        r#"content/chapters/04-splashdown.markdown: error: this file is not read: the files in content/chapters/ are read only when their names end in .md
  = help: rename it to 04-splashdown.md

content/chapters/part-two/03-return.md: error: this file is not read: only files directly in content/chapters/ are, not in folders inside it
  = help: move it to content/chapters/03-return.md

content/people/crew/buzz-aldrin.toml: error: this file is not read: only files directly in content/people/ are, not in folders inside it
  = help: move it to content/people/buzz-aldrin.toml

3 errors, 0 warnings"#
    );
}

#[test]
fn unknown_references_suggest_what_was_meant() {
    let chapter = "content/chapters/02-eagle-has-landed.md";
    let text = edited(
        chapter,
        "for the crew.",
        "for the crew.\n\n[[armstrong]] [[von-braun]] [[chapter:lunar-module]] [[source:rice-speech]]",
    );
    assert_eq!(
        check(&[(chapter, &text)]),
        r#"content/chapters/02-eagle-has-landed.md:10:1: error: unknown person "armstrong"
   |
10 | [[armstrong]] [[von-braun]] [[chapter:lunar-module]] [[source:rice-speech]]
   | ^^^^^^^^^^^^^
  = help: did you mean "neil-armstrong"? ("Armstrong" is an alias of Neil Armstrong; references take the id)

content/chapters/02-eagle-has-landed.md:10:15: error: unknown person "von-braun"
   |
10 | [[armstrong]] [[von-braun]] [[chapter:lunar-module]] [[source:rice-speech]]
   |               ^^^^^^^^^^^^^
  = help: did you mean "wernher-von-braun"?

content/chapters/02-eagle-has-landed.md:10:29: error: unknown chapter "lunar-module"
   |
10 | [[armstrong]] [[von-braun]] [[chapter:lunar-module]] [[source:rice-speech]]
   |                             ^^^^^^^^^^^^^^^^^^^^^^^^
  = help: the chapters are: the-launch, eagle-has-landed

content/chapters/02-eagle-has-landed.md:10:54: error: unknown source "rice-speech"
   |
10 | [[armstrong]] [[von-braun]] [[chapter:lunar-module]] [[source:rice-speech]]
   |                                                      ^^^^^^^^^^^^^^^^^^^^^^
  = help: did you mean "rice-speech-text"?

4 errors, 0 warnings"#
    );
}

#[test]
fn an_unclosed_if_is_reported_where_it_opened() {
    let base = dossier::render::BUILTIN_TEMPLATES
        .iter()
        .find(|(n, _)| *n == "chapter.html")
        .unwrap()
        .1;
    let open = "  {% if chapter.toc %}\n";
    let at = base
        .find(open)
        .expect("the built-in chapter template has a contents list");
    let line = base[..at].lines().count() + 1;
    let close = base[at..].find("{% endif %}").unwrap() + at;
    let mut broken = base.to_string();
    broken.replace_range(close..close + "{% endif %}".len(), "");
    let end_line = broken
        .lines()
        .position(|l| l.contains("{% endblock"))
        .unwrap()
        + 1;
    let report = check(&[("templates/chapter.html", &broken)]);
    let w = line.to_string().len();
    let pad = " ".repeat(w);
    assert_eq!(
        report,
        format!(
            "templates/chapter.html:{line}:3: error: template: this `{{% if %}}` is not closed\n{pad} |\n{line} |   {{% if chapter.toc %}}\n{pad} |   ^^^^^^^^^^^^^^^^^^^^\n  = help: tera reached `{{% endblock %}}` on line {end_line} with it still open: close it with `{{% endif %}}` where its body ends\n\n1 error, 0 warnings"
        )
    );
}

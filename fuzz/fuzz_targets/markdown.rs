//! Markdown with references, through the real pipeline in memory: the input becomes a chapter
//! body, a biography or an event summary (chosen by its first byte) of a small documentary,
//! which is then linked (references, anchors, auto-links) and rendered with the built-in
//! templates. No input may panic; Markdown from TOML must never carry raw HTML.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use dossier::config::Config;
use dossier::diagnostics::{Diagnostics, SourceFile};
use dossier::pipeline::{self, Report};
use dossier::util::memo::Memo;
use dossier::{load, output, render};
use libfuzzer_sys::fuzz_target;

mod common;

const SITE: &str = "title = \"Engines\"\nbase_url = \"https://example.org/engines/\"\nautolink = \"first\"\n";
const ADA: &str = "name = \"Ada Lovelace\"\naliases = [\"Lovelace\", \"Ada\"]\nside = \"London\"\nsources = [\"letters\"]\n";
const CHARLES: &str = "name = \"Charles Babbage\"\naliases = [\"Babbage\"]\n";
const OTHER: &str = "+++\ntitle = \"The notes\"\n+++\n\nAda wrote them.\n\n## Note G\n\nAn algorithm[^1].\n\n[^1]: Famous.\n";
const SOURCES: &str = "[[source]]\nid = \"letters\"\ntitle = \"Letters\"\nurl = \"https://example.org/l\"\n";

fn templates() -> &'static render::Templates {
    static T: OnceLock<std::sync::Arc<Result<render::Templates, Diagnostics>>> = OnceLock::new();
    let compiled = T.get_or_init(|| {
        let mut d = Diagnostics::default();
        render::compile(&render::files(Path::new("/nonexistent-dossier-fuzz"), &mut d))
    });
    compiled.as_ref().as_ref().ok().expect("built-in templates compile")
}

fn toml_string(s: &str) -> String {
    // A TOML literal string cannot hold ''' ; a basic string with escapes can hold anything.
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&place, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut diags = Diagnostics::default();
    let config = Config::parse(&SourceFile::new("site.toml", SITE), &mut diags).expect("fixed site.toml");

    let (chapter, bio, summary) = match place % 3 {
        0 => (format!("+++\ntitle = \"Fuzz\"\nsources = [\"letters\"]\n+++\n{text}"), String::new(), String::new()),
        1 => (String::from("+++\ntitle = \"Fuzz\"\n+++\nAda Lovelace met Charles Babbage.\n"), format!("bio = {}\n", toml_string(text)), String::new()),
        _ => (String::from("+++\ntitle = \"Fuzz\"\n+++\n## Start\n"), String::new(), format!("summary = {}\n", toml_string(text))),
    };
    let mut sources = load::Sources::default();
    sources.chapters.extend(load::parse_chapter("content/chapters/01-fuzz.md", &chapter, &mut diags));
    sources.chapters.extend(load::parse_chapter("content/chapters/02-the-notes.md", OTHER, &mut diags));
    sources.people.extend(load::parse_person("content/people/ada-lovelace.toml", &format!("{ADA}{bio}"), &mut diags));
    sources.people.extend(load::parse_person("content/people/charles-babbage.toml", CHARLES, &mut diags));
    let events = format!(
        "[[event]]\nid = \"party\"\ndate = \"1833-06\"\ntitle = \"A party\"\npeople = [\"ada-lovelace\"]\nchapter = \"the-notes#note-g\"\n{summary}"
    );
    sources.events.extend(load::parse_events("content/events/main.toml", &events, &mut diags));
    sources.sources.extend(load::parse_sources("content/sources.toml", SOURCES, &mut diags));

    let site = pipeline::link(sources, config, &Memo::off(), &mut diags);
    // Markdown makes none of these elements: from TOML they could only be raw HTML let through.
    let raw = |html: &str| {
        let h = html.replace("<span class=\"broken-link\">", "").to_ascii_lowercase();
        ["<script", "<iframe", "<object", "<embed", "<style", "<svg", "<form", "<div", "<span"].iter().any(|t| h.contains(t))
    };
    for p in &site.people {
        assert!(!raw(&p.bio.at("")), "raw HTML from TOML: {}", p.bio.at(""));
    }
    for e in &site.events {
        assert!(!raw(&e.summary.at("")), "raw HTML from TOML: {}", e.summary.at(""));
    }
    let mut report = Report::default();
    let made = pipeline::render_all(&render::Mode::default(), &site, templates(), &output::Discard, &Memo::off(), &mut report)
        .expect("nothing to write");
    for (path, _) in &made.files {
        assert!(output::is_safe_rel(path), "unsafe output path {path:?}");
    }
    diags.extend(report.diagnostics);
    common::check_located(&diags);
});

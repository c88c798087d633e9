//! Tests of rendering Markdown with the world's names: places, organizations and terms found by
//! the one automaton beside people's, each kind with its own auto-link setting.

use super::*;

/// People and one place, "Jerusalem", and a name a person and a place share, "Washington".
struct World;

impl Resolver for World {
    fn resolve(&self, kind: RefKind, id: &str, _: Option<&str>) -> Result<Target, Problem> {
        match (kind, id) {
            (RefKind::Place, "jerusalem") => Ok(self.entity(Entity {
                kind: EntityKind::Place,
                ix: 0,
            })),
            _ => Err(Problem::new(format!("unknown {kind:?} \"{id}\""), None)),
        }
    }
    fn entity(&self, e: Entity) -> Target {
        let (url, class) = match e.kind {
            EntityKind::Place => ("places/jerusalem/", "ref-place"),
            _ => ("people/john-kerry/", "ref-person"),
        };
        Target {
            url: url.into(),
            text: "Jerusalem".into(),
            class,
            entity: Some(e),
            anchor: None,
        }
    }
}

fn world(md: &str, autolink: Autolinks) -> Rendered {
    let place = Entity {
        kind: EntityKind::Place,
        ix: 0,
    };
    let names = vec![
        ("John Kerry".to_string(), Entity::person(0)),
        ("Jerusalem".to_string(), place),
        ("Washington".to_string(), Entity::person(0)),
        ("Washington".to_string(), place),
    ];
    let (m, ambiguous) = NameMatcher::new(&names);
    assert_eq!(ambiguous, ["Washington"]);
    render(
        md,
        &World,
        RenderOptions {
            autolink,
            names: Some(&m),
            id_prefix: "",
            raw_html: true,
        },
    )
}

#[test]
fn places_are_found_by_the_one_automaton_with_their_own_autolink_setting() {
    let md =
        "John Kerry flew to Jerusalem. In Jerusalem, John Kerry met them.\n\nWashington waited.";
    let r = world(md, Autolinks::all(Autolink::First));
    let html = r.html.at("");
    assert_eq!(html.matches("class=\"ref-place\"").count(), 1, "{html}");
    assert_eq!(html.matches("class=\"ref-person\"").count(), 1, "{html}");
    // A name two entities share links neither, and is no one's mention.
    assert!(!html.contains(">Washington<"), "{html}");
    let place = r
        .cast
        .iter()
        .find(|n| n.entity.kind == EntityKind::Place)
        .unwrap();
    assert_eq!(
        (place.count, place.sentence.as_str()),
        (2, "John Kerry flew to Jerusalem.")
    );
    assert!(r.pairs.is_empty(), "places tie no pairs: {:?}", r.pairs);
    let off = Autolinks {
        places: Autolink::Off,
        ..Autolinks::all(Autolink::All)
    };
    let html = world(md, off).html.at("");
    assert_eq!(html.matches("class=\"ref-place\"").count(), 0, "{html}");
    assert_eq!(html.matches("class=\"ref-person\"").count(), 2, "{html}");
}

#[test]
fn place_references_resolve_and_count_as_mentions() {
    let r = world(
        "We met in [[place:jerusalem|the city]].",
        Autolinks::all(Autolink::Off),
    );
    let html = r.html.at("");
    assert!(
        html.contains("<a class=\"ref-place\" href=\"places/jerusalem/\">the city</a>"),
        "{html}"
    );
    assert_eq!(r.cast.len(), 1);
    let r = world(
        "[[org:nobody]] and [[places:x]]",
        Autolinks::all(Autolink::Off),
    );
    assert_eq!(r.problems.len(), 2);
    assert_eq!(
        r.problems[1].help.as_deref(),
        Some("did you mean \"place\"?")
    );
}

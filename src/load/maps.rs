//! The maps' outlines files: read from the paths site.toml's `[[map]]` tables give ([`read`],
//! the I/O), parsed and drawn ([`parse`], a pure function of the map's settings and the file's
//! text, which `serve` memoizes, so an edited outlines file is parsed again and an unchanged one
//! is not) and gathered ([`maps`]). What the GeoJSON means is `map`'s; that the file exists is checked by
//! `config`, where its path is written.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use crate::config::{Config, MapSpec};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::map::{Map, Outlines};

/// An outlines file as read: its map and its text.
#[derive(Debug, Clone)]
pub struct OutlinesFile {
    pub spec: MapSpec,
    pub file: Arc<SourceFile>,
}

impl Hash for OutlinesFile {
    /// The map depends on its settings and on the file's path (in messages) and text.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.spec.hash(state);
        self.file.path.hash(state);
        self.file.text.hash(state);
    }
}

/// Read each map's outlines file (under `root`). A file that cannot be read is a diagnostic,
/// and its map is left out.
pub fn read(root: &Path, config: &Config) -> (Vec<OutlinesFile>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut files = Vec::with_capacity(config.maps.len());
    for spec in &config.maps {
        match super::read_source(root, &root.join(&spec.outlines)) {
            Ok(file) => files.push(OutlinesFile {
                spec: spec.clone(),
                file,
            }),
            Err(d) => diags.push(d),
        }
    }
    (files, diags)
}

/// Parse one outlines file and draw its map's outlines: a pure function of the map's settings
/// and the file's path and text.
pub fn parse(file: &OutlinesFile) -> Result<Map, Diagnostic> {
    Outlines::parse(&file.file).map(|o| Map::new(file.spec.clone(), Arc::new(o)))
}

/// The maps whose outlines parsed; a file that did not is reported and its map left out.
pub fn maps(parsed: Vec<Result<Map, Diagnostic>>, diags: &mut Diagnostics) -> Vec<Map> {
    let mut out = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Ok(map) => out.push(map),
            Err(d) => diags.push(d),
        }
    }
    out
}

//! The maps' outlines files: read from the paths site.toml's `[[map]]` tables give ([`read`],
//! the I/O), parsed ([`parse`], a pure function of one file's text, which `serve` memoizes, so
//! an edited outlines file is parsed again and an unchanged one is not) and paired with their
//! map ([`maps`]). What the GeoJSON means is `map`'s; that the file exists is checked by
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
    /// The parse depends on the file's path (in messages) and text only.
    fn hash<H: Hasher>(&self, state: &mut H) {
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

/// Parse one outlines file: a pure function of its path and text.
pub fn parse(file: &OutlinesFile) -> Result<Arc<Outlines>, Diagnostic> {
    Outlines::parse(&file.file).map(Arc::new)
}

/// Each map with its parsed outlines; a file that did not parse is reported and its map left out.
pub fn maps(
    files: Vec<OutlinesFile>,
    parsed: Vec<Result<Arc<Outlines>, Diagnostic>>,
    diags: &mut Diagnostics,
) -> Vec<Map> {
    let mut out = Vec::with_capacity(files.len());
    for (f, p) in files.into_iter().zip(parsed) {
        match p {
            Ok(outlines) => out.push(Map {
                spec: f.spec,
                outlines,
            }),
            Err(d) => diags.push(d),
        }
    }
    out
}

//! Finding the plan root: the nearest folder holding `roadlog.yaml`, as cargo finds
//! `Cargo.toml`.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The file whose presence marks a plan root.
pub const CONFIG_FILE: &str = "roadlog.yaml";

/// Finds the plan root: `explicit` (from `--plan`/`ROADLOG_PLAN`), else the nearest folder from
/// `start` upwards holding a `roadlog.yaml`.
pub fn find_root(start: &Path, explicit: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(dir) = explicit {
        let dir = if dir.file_name().is_some_and(|n| n == CONFIG_FILE) && dir.is_file() {
            dir.parent().unwrap_or(Path::new(".")).to_path_buf()
        } else {
            dir.to_path_buf()
        };
        if !dir.is_dir() {
            return Err(Error::NoPlanDir { dir });
        }
        if !dir.join(CONFIG_FILE).exists() {
            return Err(Error::NoConfigIn { dir });
        }
        return Ok(dir);
    }
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(CONFIG_FILE).is_file() {
            return Ok(d.to_path_buf());
        }
        dir = d.parent();
    }
    Err(Error::NoPlanRoot {
        start: start.to_path_buf(),
    })
}

//! Durable writes: every file roadlog writes appears whole or not at all.
//!
//! Text goes to a hidden temporary file in the target's folder and is synced first; only then
//! does the target name appear, by `rename` (replace) or `hard_link` (create, which fails if the
//! name is taken). A process killed in between leaves the target untouched and, at worst, a
//! hidden `.NAME.roadlog-PID-N.tmp` that the loader never reads and the next write to that
//! folder removes.
//!
//! Why not `tempfile`'s `persist` and `persist_noclobber`: they do not sync the file before the
//! name appears (a crash could leave an empty plan file under its real name), their temporary
//! names (`.tmpXXXXXX`) carry no writer, so a later run could not tell a killed roadlog's
//! leftover from another program's file, and `persist_noclobber` has no fallback where the file
//! system has no hard links.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::Error;

const TEMP_MARK: &str = ".roadlog-";
const TEMP_SUFFIX: &str = ".tmp";
/// A leftover older than this is stale even where `/proc` cannot tell whether its writer lives.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Writes `text` over `path` atomically.
pub fn replace(path: &Path, text: &str) -> Result<(), Error> {
    let tmp = write_temp(path, text)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path)(e)
    })
}

/// Creates `path` holding `text`, never replacing anything; `Ok(false)` if the name is taken.
pub fn create(path: &Path, text: &str) -> Result<bool, Error> {
    let tmp = write_temp(path, text)?;
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        // Some file systems have no hard links; an exclusive create is the next best thing.
        Err(_) => create_in_place(path, text),
    }
}

/// One file of a change written by [`commit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileWrite {
    /// Replace the file's text.
    Replace(PathBuf, String),
    /// Create a file that must not exist yet.
    Create(PathBuf, String),
    /// Remove the file.
    Remove(PathBuf),
}

/// Writes several files as one change, all or nothing. Every new text goes to a synced temporary
/// file beside its target first; only when all are written do new files appear (exclusively),
/// then replaced files take their new text and removed files go. A failure before that point
/// leaves every file as it was; a failure after it (a rename refused by the file system) puts
/// back what was already changed, from the texts read at the start.
pub fn commit(writes: &[FileWrite]) -> Result<(), Error> {
    let mut originals = Vec::new();
    for w in writes {
        if let FileWrite::Replace(path, _) | FileWrite::Remove(path) = w {
            originals.push((path, fs::read(path).map_err(Error::io(path))?));
        }
    }
    let mut temps: Vec<(PathBuf, &FileWrite)> = Vec::new();
    for w in writes {
        let staged = match w {
            FileWrite::Replace(path, text) | FileWrite::Create(path, text) => {
                write_temp(path, text)
            }
            FileWrite::Remove(_) => continue,
        };
        match staged {
            Ok(tmp) => temps.push((tmp, w)),
            Err(e) => {
                for (tmp, _) in &temps {
                    let _ = fs::remove_file(tmp);
                }
                return Err(e);
            }
        }
    }
    let mut done: Vec<&FileWrite> = Vec::new();
    let mut failed = None;
    let order = |w: &FileWrite| match w {
        FileWrite::Create(..) => 0,
        FileWrite::Replace(..) => 1,
        FileWrite::Remove(_) => 2,
    };
    let mut steps: Vec<(Option<&PathBuf>, &FileWrite)> =
        temps.iter().map(|(t, w)| (Some(t), *w)).collect();
    steps.extend(
        writes
            .iter()
            .filter(|w| matches!(w, FileWrite::Remove(_)))
            .map(|w| (None, w)),
    );
    steps.sort_by_key(|(_, w)| order(w));
    for (tmp, w) in &steps {
        let result = match (w, tmp) {
            (FileWrite::Create(path, _), Some(tmp)) => match fs::hard_link(tmp, path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(Error::usage(format!(
                    "{} already exists; nothing was written",
                    path.display()
                ))),
                // No hard links here: checked, then renamed, the next best thing.
                Err(_) if fs::symlink_metadata(path).is_err() => {
                    fs::rename(tmp, path).map_err(Error::io(path))
                }
                Err(e) => Err(Error::io(path)(e)),
            },
            (FileWrite::Replace(path, _), Some(tmp)) => {
                fs::rename(tmp, path).map_err(Error::io(path))
            }
            (FileWrite::Remove(path), _) => fs::remove_file(path).map_err(Error::io(path)),
            _ => Ok(()),
        };
        match result {
            Ok(()) => done.push(w),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    for (tmp, _) in &temps {
        let _ = fs::remove_file(tmp);
    }
    let Some(e) = failed else {
        return Ok(());
    };
    // Put back what already changed, newest first.
    for w in done.iter().rev() {
        match w {
            FileWrite::Create(path, _) => {
                let _ = fs::remove_file(path);
            }
            FileWrite::Replace(path, _) | FileWrite::Remove(path) => {
                if let Some((_, bytes)) = originals.iter().find(|(p, _)| *p == path) {
                    let _ = fs::write(path, bytes);
                }
            }
        }
    }
    Err(e)
}

fn create_in_place(path: &Path, text: &str) -> Result<bool, Error> {
    let mut file = match File::options().write(true).create_new(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(Error::io(path)(e)),
    };
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(Error::io(path)(e));
    }
    Ok(true)
}

/// Writes and syncs a hidden temporary file beside `path`, and returns its name.
fn write_temp(path: &Path, text: &str) -> Result<PathBuf, Error> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    sweep(dir);
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100 {
        let tmp = dir.join(format!(".{name}{TEMP_MARK}{pid}-{n}{TEMP_SUFFIX}"));
        match File::options().write(true).create_new(true).open(&tmp) {
            Ok(mut file) => {
                let written = file
                    .write_all(text.as_bytes())
                    .and_then(|()| file.sync_all());
                drop(file);
                return match written {
                    Ok(()) => Ok(tmp),
                    Err(e) => {
                        let _ = fs::remove_file(&tmp);
                        Err(Error::io(path)(e))
                    }
                };
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => last = Some(e),
        }
    }
    Err(Error::io(path)(last.unwrap_or_else(|| {
        std::io::Error::other("no free temporary file name beside it")
    })))
}

/// Removes temporary files that killed roadlog processes left in `dir`. Best effort.
fn sweep(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else {
            continue;
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old || writer_is_gone(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The writer's process id, if `name` is one of roadlog's temporary files.
fn leftover_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX)?;
    let (_, tail) = rest.rsplit_once(TEMP_MARK)?;
    let (pid, n) = tail.split_once('-')?;
    n.parse::<u32>().ok()?;
    pid.parse().ok()
}

fn writer_is_gone(pid: u32) -> bool {
    pid != std::process::id()
        && Path::new("/proc/self").exists()
        && !Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn temporary_names_are_recognised_and_nothing_else() {
        assert_eq!(leftover_pid(".BL-1.yaml.roadlog-42-0.tmp"), Some(42));
        assert_eq!(leftover_pid(".a.roadlog-b.yaml.roadlog-7-13.tmp"), Some(7));
        assert_eq!(leftover_pid("BL-1.yaml.roadlog-42-0.tmp"), None);
        assert_eq!(leftover_pid(".BL-1.yaml.roadlog-42.tmp"), None);
        assert_eq!(leftover_pid(".notes.tmp"), None);
    }

    #[test]
    fn replace_and_create_leave_only_the_target() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(Error::io(Path::new(".")))?;
        let path = dir.path().join("a.yaml");
        assert!(create(&path, "one\n")?);
        assert!(!create(&path, "two\n")?);
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("one\n"));
        replace(&path, "three\n")?;
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("three\n"));
        assert_eq!(listing(dir.path()), ["a.yaml"]);
        Ok(())
    }

    #[test]
    fn leftovers_of_dead_or_old_writers_are_swept_and_others_kept() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(Error::io(Path::new(".")))?;
        let d = dir.path();
        let mine = format!(".a.yaml.roadlog-{}-0.tmp", std::process::id());
        // No process has id 4294967295 on Linux; the old file's writer is "alive" (pid 1).
        let dead = ".a.yaml.roadlog-4294967295-0.tmp";
        let old = ".b.yaml.roadlog-1-0.tmp";
        for name in [mine.as_str(), dead, old, ".keep.tmp"] {
            fs::write(d.join(name), "x").map_err(Error::io(d))?;
        }
        let long_ago = SystemTime::now() - 2 * STALE_AFTER;
        File::options()
            .write(true)
            .open(d.join(old))
            .and_then(|f| f.set_modified(long_ago))
            .map_err(Error::io(d))?;
        sweep(d);
        let mut expected = vec![".keep.tmp".to_string()];
        if !Path::new("/proc/self").exists() {
            expected.push(dead.to_string());
        }
        expected.push(mine);
        expected.sort();
        assert_eq!(listing(d), expected);
        Ok(())
    }

    #[test]
    fn a_change_of_several_files_is_all_or_nothing() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(Error::io(Path::new(".")))?;
        let d = dir.path();
        let (a, b, c) = (d.join("a.yaml"), d.join("b.yaml"), d.join("c.yaml"));
        fs::write(&a, "a\n").map_err(Error::io(d))?;
        fs::write(&b, "b\n").map_err(Error::io(d))?;
        // A target whose folder is missing fails while staging: nothing changes.
        let missing = d.join("gone/x.yaml");
        let staged = commit(&[
            FileWrite::Replace(a.clone(), "A\n".into()),
            FileWrite::Create(missing, "x\n".into()),
        ]);
        assert!(staged.is_err());
        assert_eq!(listing(d), ["a.yaml", "b.yaml"]);
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("a\n"));
        // A file to create that exists already refuses the whole change.
        let taken = commit(&[
            FileWrite::Replace(a.clone(), "A\n".into()),
            FileWrite::Create(b.clone(), "B\n".into()),
        ]);
        assert!(taken.is_err());
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("a\n"));
        assert_eq!(fs::read_to_string(&b).ok().as_deref(), Some("b\n"));
        assert_eq!(listing(d), ["a.yaml", "b.yaml"]);
        // A file moved: created under its new name, the old one removed, the rest replaced.
        commit(&[
            FileWrite::Create(c.clone(), "c\n".into()),
            FileWrite::Remove(b),
            FileWrite::Replace(a.clone(), "A\n".into()),
        ])?;
        assert_eq!(listing(d), ["a.yaml", "c.yaml"]);
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("A\n"));
        Ok(())
    }
}

//! The one atomic writer: every file roadlog writes, plan files and caches alike, appears whole
//! or not at all, and a replaced file keeps its mode (and owner, where the process may set it).
//!
//! Bytes go to a hidden temporary file in the target's folder, are synced, and only then does
//! the target name appear, by `rename` (replace) or `hard_link` (create, which fails if the name
//! is taken); the folder is synced after, so the new name survives a crash too. A process killed
//! in between leaves the target untouched and, at worst, a hidden `.NAME.roadlog-PID-N.tmp`
//! that the loader never reads and the next write to that folder removes.
//!
//! Why not `tempfile`'s `persist` and `persist_noclobber`: they do not sync the file before the
//! name appears (a crash could leave an empty plan file under its real name), their temporary
//! names (`.tmpXXXXXX`) carry no writer, so a later run could not tell a killed roadlog's
//! leftover from another program's file, and `persist_noclobber` has no fallback where the file
//! system has no hard links.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

const TEMP_MARK: &str = ".roadlog-";
const TEMP_SUFFIX: &str = ".tmp";
/// A leftover older than this is stale even where `/proc` cannot tell whether its writer lives.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Writes what `write` writes over `path` atomically, keeping the mode and owner of the file it
/// replaces; creates the file (and its folder) when there is none.
pub fn replace_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    Staged::with(path, write)?.replace()
}

/// Writes `bytes` over `path` atomically, as [`replace_with`].
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    Staged::new(path, bytes)?.replace()
}

/// Creates `path` holding `bytes`, never replacing anything; `Ok(false)` if the name is taken.
pub fn create(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    Staged::new(path, bytes)?.create()
}

/// New bytes for `target`, written and synced to a temporary file beside it, not yet in place.
/// Dropped without being placed, the temporary file is removed.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    target: PathBuf,
    placed: bool,
}

impl Staged {
    /// Stages `bytes` for `target`.
    pub fn new(target: &Path, bytes: &[u8]) -> io::Result<Staged> {
        Staged::with(target, |out| out.write_all(bytes))
    }

    /// Stages what `write` writes for `target`. The temporary file takes the mode and owner of
    /// the file it will replace, if there is one.
    pub fn with(
        target: &Path,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<Staged> {
        let dir = folder_of(target);
        sweep_once(dir);
        let (temp, file) = open_temp(dir, target)?;
        let staged = Staged {
            temp,
            target: target.to_path_buf(),
            placed: false,
        };
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        if let Ok(meta) = fs::metadata(target) {
            keep_owner_and_mode(&file, &meta)?;
        }
        file.sync_all()?;
        Ok(staged)
    }

    /// Where the bytes go.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the staged bytes over the target, then syncs its folder.
    pub fn replace(self) -> io::Result<()> {
        let dir = folder_of(&self.target).to_path_buf();
        self.replace_unsynced()?;
        sync_dir(&dir);
        Ok(())
    }

    /// [`Staged::replace`] without the folder's sync, for a change of many files that syncs each
    /// folder once when all are placed.
    pub(crate) fn replace_unsynced(mut self) -> io::Result<()> {
        fs::rename(&self.temp, &self.target)?;
        self.placed = true;
        Ok(())
    }

    /// Puts the staged bytes at the target only if no file is there: `Ok(false)` if one is.
    pub fn create(self) -> io::Result<bool> {
        let dir = folder_of(&self.target).to_path_buf();
        let made = self.create_unsynced()?;
        if made {
            sync_dir(&dir);
        }
        Ok(made)
    }

    /// [`Staged::create`] without the folder's sync.
    pub(crate) fn create_unsynced(mut self) -> io::Result<bool> {
        match fs::hard_link(&self.temp, &self.target) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => return Ok(false),
            // Some file systems have no hard links: checked, then renamed, the next best thing.
            Err(_) if fs::symlink_metadata(&self.target).is_err() => {
                fs::rename(&self.temp, &self.target)?;
                self.placed = true;
            }
            Err(e) => return Err(e),
        }
        Ok(true)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Syncs a folder, so that a name just made or replaced in it survives a crash. Best effort:
/// the name is already in place, and where a folder cannot be opened or synced (some platforms
/// and file systems refuse), there is nothing more to do.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A new hidden temporary file beside `target`, named after it and this process.
fn open_temp(dir: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let mut last = None;
    for n in 0..1000 {
        let temp = dir.join(format!(".{name}{TEMP_MARK}{pid}-{n}{TEMP_SUFFIX}"));
        match File::options().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name beside it")))
}

/// Gives the temporary file the replaced file's mode and, where the process may, its owner: a
/// `0600` plan file stays `0600` rather than taking the umask's mode.
#[cfg(unix)]
fn keep_owner_and_mode(file: &File, meta: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    // Only root (or the owner giving a file to a group it is in) may change the owner; anyone
    // else writes the file as their own, as an editor saving it would.
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    file.set_permissions(meta.permissions())
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &File, meta: &fs::Metadata) -> io::Result<()> {
    file.set_permissions(meta.permissions())
}

/// The folders this process has swept already: once per folder is enough, since only a killed
/// process leaves a temporary file, and a write of many files to one folder would otherwise
/// list it once per file.
static SWEPT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Removes temporary files that killed roadlog processes left in `dir`, once per process.
fn sweep_once(dir: &Path) {
    let first = SWEPT.lock().is_ok_and(|mut swept| {
        swept
            .get_or_insert_with(HashSet::new)
            .insert(dir.to_path_buf())
    });
    if first {
        sweep(dir);
    }
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
    fn replace_and_create_leave_only_the_target() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("a.yaml");
        assert!(create(&path, b"one\n")?);
        assert!(!create(&path, b"two\n")?);
        assert_eq!(fs::read_to_string(&path)?, "one\n");
        replace(&path, b"three\n")?;
        assert_eq!(fs::read_to_string(&path)?, "three\n");
        replace_with(&dir.path().join("sub/b.bin"), |out| out.write_all(b"four"))?;
        assert_eq!(listing(dir.path()), ["a.yaml", "sub"]);
        assert_eq!(listing(&dir.path().join("sub")), ["b.bin"]);
        // Staged and dropped: nothing is left.
        drop(Staged::new(&path, b"five\n")?);
        assert_eq!(listing(dir.path()), ["a.yaml", "sub"]);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("secret.yaml");
        fs::write(&path, "a\n")?;
        for mode in [0o600, 0o640, 0o755] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode))?;
            replace(&path, b"b\n")?;
            assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, mode);
        }
        Ok(())
    }

    #[test]
    fn leftovers_of_dead_or_old_writers_are_swept_and_others_kept() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let d = dir.path();
        let mine = format!(".a.yaml.roadlog-{}-0.tmp", std::process::id());
        // No process has id 4294967295 on Linux; the old file's writer is "alive" (pid 1).
        let dead = ".a.yaml.roadlog-4294967295-0.tmp";
        let old = ".b.yaml.roadlog-1-0.tmp";
        for name in [mine.as_str(), dead, old, ".keep.tmp"] {
            fs::write(d.join(name), "x")?;
        }
        let long_ago = SystemTime::now() - 2 * STALE_AFTER;
        File::options()
            .write(true)
            .open(d.join(old))
            .and_then(|f| f.set_modified(long_ago))?;
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
    fn a_folder_is_swept_once_per_process() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let d = dir.path();
        let dead = ".a.yaml.roadlog-4294967295-0.tmp";
        replace(&d.join("a.yaml"), b"a")?;
        // Left after the first write into the folder: the second does not look again.
        fs::write(d.join(dead), "x")?;
        replace(&d.join("b.yaml"), b"b")?;
        assert!(d.join(dead).exists());
        Ok(())
    }
}

//! Tests of the parse cache kept between runs.

use super::layout::{self, Entities, MAGIC};
use super::*;
use crate::load::WorkTree;
use crate::model::Seal;

const ITEM: &str = "backlog/BL-1.yaml";

/// A plan of one item titled `Alpha`, and a folder for its cache.
fn plan() -> (tempfile::TempDir, tempfile::TempDir) {
    let root = tempfile::tempdir().expect("tempdir");
    fs::write(root.path().join("roadlog.yaml"), "").expect("write");
    fs::create_dir_all(root.path().join("backlog")).expect("mkdir");
    fs::write(root.path().join(ITEM), "title: Alpha\nstatus: todo\n").expect("write");
    (root, tempfile::tempdir().expect("tempdir"))
}

fn title(root: &Path, store: &mut Store) -> String {
    let source = WorkTree::new(root).expect("root");
    let plan = load_stored(&source, "root", store).expect("loads");
    plan.items[0].title_text()
}

/// What a cache file holds, every part's entities read.
struct Whole {
    version: String,
    options: u64,
    parts: Vec<(Vec<Record>, Entities)>,
}

fn read_whole(file: &Path) -> Whole {
    let opened = Opened::open(file).expect("a whole cache");
    let entities: Vec<Entities> = (0..opened.records.len())
        .map(|p| opened.entities(p).expect("whole entities"))
        .collect();
    Whole {
        version: opened.version,
        options: opened.options,
        parts: opened.records.into_iter().zip(entities).collect(),
    }
}

/// The bytes of a cache file holding `whole`.
fn bytes_of(whole: &Whole) -> Vec<u8> {
    let parts: Vec<(Vec<RecordRef<'_>>, EntitiesRef<'_>)> = whole
        .parts
        .iter()
        .map(|(records, e)| {
            let records = records
                .iter()
                .map(|r| RecordRef {
                    path: &r.path,
                    role: r.role,
                    stamp: r.stamp,
                    trusted: r.trusted,
                    digest: r.digest,
                    seal: r.seal,
                    counts: r.counts,
                })
                .collect();
            let entities = EntitiesRef {
                themes: &e.themes,
                items: &e.items,
                findings: &e.findings,
            };
            (records, entities)
        })
        .collect();
    let mut bytes = Vec::new();
    pack(&whole.version, whole.options, &parts, &mut bytes).expect("packs");
    bytes
}

/// Rewrites the cache so its record of the item says `Bravo`, keeping the record's stamp
/// and trust: what a same-size write in the same second as the stat would leave behind.
fn record_bravo(store: &Store) {
    let mut whole = read_whole(store.file());
    for (records, entities) in &mut whole.parts {
        for record in records {
            let text = "title: Bravo\nstatus: todo\n";
            (record.digest, record.seal) = (layout::digest(text), Seal::of(text));
        }
        for item in &mut entities.items {
            if let Some(title) = &mut item.title {
                title.value = "Bravo".into();
            }
        }
    }
    fs::write(store.file(), bytes_of(&whole)).expect("write");
}

/// The item's title as read through a cache recorded afresh by a run that began at `started`
/// (seconds since the epoch), then rewritten to say `Bravo`, the cache file dated `cached`.
fn title_after_bravo(root: &Path, dir: &Path, started: i64, cached: i64) -> String {
    let mut store = Store::open(dir, root);
    store.started = started;
    store.held = None;
    assert_eq!(title(root, &mut store), "Alpha");
    record_bravo(&store);
    set_modified(store.file(), cached);
    title(root, &mut Store::open(dir, root))
}

#[test]
fn a_stamp_is_trusted_only_when_older_than_the_run_that_recorded_it() {
    let (root, dir) = plan();
    let stamp = WorkTree::new(root.path())
        .expect("root")
        .stamp(ITEM)
        .expect("a stamp");
    let written = stamp.modified.0.max(stamp.changed.0);
    // Recorded by a run that began in the second the file was written: the file is read
    // again, and what it says wins over the record.
    assert_eq!(
        title_after_bravo(root.path(), dir.path(), written, written + 1),
        "Alpha"
    );
    // Recorded a second later: the record alone is believed, and the file is not read.
    assert_eq!(
        title_after_bravo(root.path(), dir.path(), written + 1, written + 1),
        "Bravo"
    );
}

#[test]
fn a_file_whose_stamp_moved_is_parsed_only_if_its_text_did() {
    let (root, dir) = plan();
    let mut store = Store::open(dir.path(), root.path());
    store.started = i64::MAX;
    assert_eq!(title(root.path(), &mut store), "Alpha");
    assert_eq!(store.parses(), 1);
    // The same text written again (a checkout restoring the cache from another run has every
    // stamp new): read and hashed, not parsed.
    let path = root.path().join(ITEM);
    fs::write(&path, "title: Alpha\nstatus: todo\n").expect("write");
    let mut store = Store::open(dir.path(), root.path());
    assert_eq!(title(root.path(), &mut store), "Alpha");
    assert_eq!(store.parses(), 0);
    fs::write(&path, "title: Delta\nstatus: todo\n").expect("write");
    let mut store = Store::open(dir.path(), root.path());
    assert_eq!(title(root.path(), &mut store), "Delta");
    assert_eq!(store.parses(), 1);
}

#[test]
fn a_cache_of_another_build_or_other_statuses_is_not_read() {
    let (root, dir) = plan();
    let mut store = Store::open(dir.path(), root.path());
    store.started = i64::MAX;
    title(root.path(), &mut store);
    record_bravo(&store);
    let written = read_whole(store.file());
    // Another build of the same version (its parse or model sources differ), another version,
    // and this build under other statuses.
    let other_build = concat!(env!("CARGO_PKG_VERSION"), "+0000000000000000");
    for (version, options) in [
        (other_build, written.options),
        ("0.0.0", written.options),
        (crate::BUILD, 7),
    ] {
        let mut store = Store::open(dir.path(), root.path());
        let mut other = store.held.take().expect("read");
        other.version = version.into();
        other.options = options;
        store.held = Some(other);
        assert_eq!(
            title(root.path(), &mut store),
            "Alpha",
            "{version} {options}"
        );
    }
}

#[test]
fn only_a_whole_cache_file_is_opened() {
    let (root, dir) = plan();
    let mut store = Store::open(dir.path(), root.path());
    title(root.path(), &mut store);
    let bytes = fs::read(store.file()).expect("written");
    let opens = |bytes: &[u8]| {
        fs::write(store.file(), bytes).expect("write");
        Opened::open(store.file()).is_some()
    };
    assert!(opens(&bytes));
    for cut in 0..bytes.len() {
        assert!(!opens(&bytes[..cut]), "cut at {cut}");
    }
    assert!(!opens(&[&bytes[..], b"x"].concat()), "longer than it says");
    // A cache of the layout before parts held their entities end to end is no cache.
    let mut older = bytes.clone();
    older[..MAGIC.len()].copy_from_slice(b"roadlog-cache 2\n");
    assert!(!opens(&older));
    // Any byte flipped is found: the file does not open, or its part's entities do not read.
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 1;
        let found =
            !opens(&flipped) || Opened::open(store.file()).is_some_and(|o| o.entities(0).is_none());
        assert!(found, "flipped at {at}");
    }
}

/// A plan of three themes and 200 items, some in files of two, some with findings, for
/// the cache to be written in several parts.
fn many() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("tempdir");
    let write = |rel: &str, text: &str| {
        let path = root.path().join(rel);
        fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        fs::write(path, text).expect("write");
    };
    write("roadlog.yaml", "statuses:\n  review: in-progress\n");
    for t in ["a", "b", "c"] {
        write(
            &format!("roadmap/{t}.yaml"),
            &format!("title: {t}\nobjective: O\n"),
        );
    }
    for i in 0..200 {
        let text = match i % 5 {
            0 => format!("id: BL-{i}\ntitle: one\n---\nid: BL-{i}b\ntitle: two\ntheme: a\n"),
            1 => format!("title: [broken {i}\n"),
            2 => format!("title: T{i}\ntheme: b\nstatus: review\nbogus: {i}\n"),
            _ => format!("title: T{i}\ntheme: c\nstatus: done\n"),
        };
        write(&format!("backlog/BL-{i}.yaml"), &text);
    }
    root
}

/// Loads `root` through the cache in `dir` and checks the plan is the one a fresh load gives.
fn same_as_fresh(root: &Path, dir: &Path, started: i64, after: &str) {
    let mut store = Store::open(dir, root);
    store.started = started;
    let source = WorkTree::new(root).expect("root");
    let stored = load_stored(&source, "root", &mut store).expect("loads");
    let fresh = crate::load::load(&source, "root").expect("loads");
    assert!(
        stored == fresh,
        "{after}: the plan through the cache is not a fresh load's"
    );
}

#[test]
fn a_plan_through_the_cache_is_the_plan_a_fresh_load_gives() {
    // Recorded in the second the files were written (verified by their text), and long after
    // (believed by their stamps).
    for started in [0, i64::MAX] {
        let (root, dir) = (many(), tempfile::tempdir().expect("tempdir"));
        let (root, dir) = (root.path(), dir.path());
        same_as_fresh(root, dir, started, "the first run");
        let whole = read_whole(Store::open(dir, root).file());
        assert!(whole.parts.len() > 4, "{} parts", whole.parts.len());
        same_as_fresh(root, dir, started, "the second run");
        // A file added before the others, one removed, one renamed and one edited: the files
        // after each take their entities from further along their part, or the next one.
        fs::write(root.join("backlog/AA.yaml"), "title: first\n").expect("write");
        same_as_fresh(root, dir, started, "one added at the front");
        fs::remove_file(root.join("backlog/BL-12.yaml")).expect("remove");
        same_as_fresh(root, dir, started, "one removed");
        fs::rename(root.join("backlog/BL-3.yaml"), root.join("backlog/ZZ.yaml")).expect("mv");
        same_as_fresh(root, dir, started, "one renamed");
        fs::write(root.join("backlog/BL-7.yaml"), "title: [again\n").expect("write");
        same_as_fresh(root, dir, started, "one edited");
        fs::write(root.join("roadmap/b.yaml"), "title: b\nbogus: 2\n").expect("write");
        same_as_fresh(root, dir, started, "a theme edited");
    }
}

#[test]
fn records_out_of_the_order_files_are_listed_in_are_parsed_again() {
    let (root, dir) = (many(), tempfile::tempdir().expect("tempdir"));
    let (root, dir) = (root.path(), dir.path());
    same_as_fresh(root, dir, i64::MAX, "the first run");
    let file = Store::open(dir, root).file().to_path_buf();
    let mut whole = read_whole(&file);
    assert!(whole.parts.len() > 4, "{} parts", whole.parts.len());
    whole.parts.reverse();
    fs::write(&file, bytes_of(&whole)).expect("write");
    same_as_fresh(root, dir, i64::MAX, "parts in reverse");
    let mut whole = read_whole(&file);
    // The first two records of a part swapped, and their entities with them: a part recorded
    // in another order than the files are listed in.
    let (records, entities) = &mut whole.parts[1];
    let (a, b) = (records[0].counts, records[1].counts);
    records.swap(0, 1);
    fn swap_first<T>(list: &mut Vec<T>, a: usize, b: usize) {
        let rest = list.split_off(a + b);
        let second = list.split_off(a);
        let first = std::mem::replace(list, second);
        list.extend(first);
        list.extend(rest);
    }
    swap_first(&mut entities.themes, a.themes, b.themes);
    swap_first(&mut entities.items, a.items, b.items);
    swap_first(&mut entities.findings, a.findings, b.findings);
    assert!(a.items + b.items > 0, "the swapped files hold items");
    fs::write(&file, bytes_of(&whole)).expect("write");
    same_as_fresh(root, dir, i64::MAX, "two records swapped");
    // A part whose entities are damaged: its files are parsed.
    let bytes = fs::read(&file).expect("written");
    let mut damaged = bytes.clone();
    // The last part's entities end where the head begins, the head's length being in the
    // file's last 16 bytes.
    let n = damaged.len();
    let head = u64::from_le_bytes(damaged[n - 16..n - 8].try_into().expect("8 bytes"));
    let last = n - 16 - usize::try_from(head).expect("small") - 3;
    damaged[last] ^= 0x10;
    fs::write(&file, &damaged).expect("write");
    let opened = Opened::open(&file).expect("the head and records are whole");
    assert!(opened.entities(opened.records.len() - 1).is_none());
    same_as_fresh(root, dir, i64::MAX, "a part damaged");
}

#[test]
fn random_edits_through_the_cache_give_what_fresh_loads_give() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let texts = [
        "title: added\ntheme: a\n",
        "id: X1\ntitle: one\n---\nid: X2\ntitle: two\nparent: X1\n",
        "title: [broken\n",
        "title: odd\nstatus: review\nbogus: 1\n",
        "",
    ];
    for round in 0..4 {
        let (root, dir) = (many(), tempfile::tempdir().expect("tempdir"));
        let (root, dir) = (root.path(), dir.path());
        for step in 0..30 {
            let backlog: Vec<PathBuf> = {
                let mut files: Vec<PathBuf> = fs::read_dir(root.join("backlog"))
                    .expect("backlog")
                    .map(|e| e.expect("entry").path())
                    .collect();
                files.sort();
                files
            };
            let r = next();
            let some = &backlog[(r >> 8) as usize % backlog.len()];
            let what = match r % 7 {
                0 => {
                    let text = texts[(r >> 20) as usize % texts.len()];
                    fs::write(root.join(format!("backlog/N{round}-{step}.yaml")), text)
                        .expect("add");
                    "added"
                }
                1 if backlog.len() > 20 => {
                    fs::remove_file(some).expect("remove");
                    "removed"
                }
                2 => {
                    // Always longer, so a stamp believed without the racily-clean rule still moves.
                    let mut text = fs::read_to_string(some).expect("read");
                    text.push_str(&format!("# step {step}\n"));
                    fs::write(some, text).expect("edit");
                    "edited"
                }
                3 => {
                    fs::rename(some, root.join(format!("backlog/R{round}-{step}.yaml")))
                        .expect("rename");
                    "renamed"
                }
                4 => {
                    // Written again as it was: a new stamp over the recorded text.
                    let text = fs::read(some).expect("read");
                    fs::write(some, text).expect("touch");
                    "touched"
                }
                5 => {
                    let file = Store::open(dir, root).file().to_path_buf();
                    if let Ok(mut bytes) = fs::read(&file) {
                        let at = (r >> 16) as usize % bytes.len();
                        bytes[at] ^= 0x40;
                        fs::write(&file, bytes).expect("damage");
                    }
                    "cache damaged"
                }
                _ => {
                    let theme = ["a", "b", "c"][(r >> 12) as usize % 3];
                    let path = root.join(format!("roadmap/{theme}.yaml"));
                    let mut text = fs::read_to_string(&path).expect("read");
                    text.push_str(&format!("# step {step}\n"));
                    fs::write(path, text).expect("edit theme");
                    "theme edited"
                }
            };
            // Trusted by stamp on odd steps; verified by text, as a run in the same second is.
            let started = if step % 2 == 1 { i64::MAX } else { 0 };
            same_as_fresh(
                root,
                dir,
                started,
                &format!("round {round}, step {step}: {what}"),
            );
        }
    }
}

/// Sets the modification time of `path` to `second` (since the epoch).
fn set_modified(path: &Path, second: i64) {
    let at =
        UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(second).expect("after 1970"));
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(at))
        .expect("set the time");
}

#[test]
fn a_stamp_is_trusted_only_when_older_than_the_cache_file_itself() {
    let (root, dir) = plan();
    let stamp = WorkTree::new(root.path())
        .expect("root")
        .stamp(ITEM)
        .expect("a stamp");
    let written = stamp.modified.0.max(stamp.changed.0);
    // By the run's clock the stamp is old enough; by the file system's, the cache was written
    // in the same second as the file, so a same-size rewrite in that second is not excluded.
    assert_eq!(
        title_after_bravo(root.path(), dir.path(), written + 1, written),
        "Alpha",
        "a record as new as its cache file is read again"
    );
    assert_eq!(
        title_after_bravo(root.path(), dir.path(), written + 1, written + 1),
        "Bravo",
        "a record older than its cache file is believed"
    );
}

#[test]
fn a_file_dated_in_the_future_is_always_read() {
    let (root, dir) = plan();
    let far = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        + 100 * 366 * 86_400;
    set_modified(&root.path().join(ITEM), far);
    let now = far - 100 * 366 * 86_400;
    // Neither the run's clock nor the cache file's time is later than the file's.
    assert_eq!(
        title_after_bravo(root.path(), dir.path(), now, now),
        "Alpha"
    );
}

/// The bytes the cache encodes for a fixed plan and record, against `tests/fixtures/cache-golden.hex`, which
/// also names the build identity it was made by. The cache is keyed on that identity (a hash
/// of the sources that shape what is encoded, see `build.rs`), so an encoding that changes
/// while the identity stays the same would let one build believe another's cache: this test
/// fails then. `ROADLOG_UPDATE_GOLDEN=1` writes the file anew after a change is reviewed.
#[test]
fn the_encoding_changes_only_with_the_build_identity() {
    let source = crate::load::MemoryTree::new()
        .with("roadlog.yaml", "statuses: { review: in-progress }\n")
        .with(
            "roadmap/core.yaml",
            "title: Core\nobjective: Why\nstatus: active\nhorizon: 2025-Q3..2026-Q1\n\
             metrics:\n  - { name: NPS, target: '40', baseline: '20' }\nreviewed: 2025-08-01\n",
        )
        .with(
            "backlog/BL-1.yaml",
            "title: Sign-in\nstatus: review\ntheme: core\nestimate: 3\ndepends_on: [BL-2]\n\
             acceptance: [works]\ndone_on: 2025-08-02\n",
        )
        .with(
            "backlog/BL-2.yaml",
            "id: BL-2\ntitle: Two\nstatus: done\nparent: BL-1\n",
        );
    let plan = crate::load::load(&source, "plan").expect("loads");
    assert!(plan.findings.is_empty(), "{:?}", plan.findings);
    // A finding made here, not by the rules, so that a finding's wording may change without
    // this test taking it for a change of encoding.
    let at = crate::diag::Location {
        file: crate::diag::FileId(2),
        span: Some(crate::model::Span::new(6, 4, 1, 7)),
    };
    let findings =
        [
            crate::diag::Finding::new(crate::diag::Rule::UnknownField, "a fixed message", Some(at))
                .field("bogus")
                .label("a label")
                .help("a help"),
        ];
    let text = "title: Sign-in\n";
    let record = RecordRef {
        path: "backlog/BL-1.yaml",
        role: Role::Item,
        stamp: Some(Stamp {
            size: 15,
            modified: (1_750_000_000, 5),
            changed: (1_750_000_001, 6),
            inode: 7,
            device: 8,
        }),
        trusted: true,
        digest: layout::digest(text),
        seal: Seal::of(text),
        counts: Counts {
            themes: 0,
            items: 2,
            findings: 1,
        },
    };
    let entities = EntitiesRef {
        themes: &plan.themes,
        items: &plan.items,
        findings: &findings,
    };
    let mut bytes = postcard::to_stdvec(&[record]).expect("encodes");
    bytes.extend(postcard::to_stdvec(&entities).expect("encodes"));
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cache-golden.hex");
    if std::env::var_os("ROADLOG_UPDATE_GOLDEN").is_some() {
        fs::write(&path, format!("{}\n{hex}\n", crate::BUILD)).expect("write");
    }
    let golden = fs::read_to_string(&path).expect("tests/fixtures/cache-golden.hex");
    let (build, want) = golden.trim_end().split_once('\n').expect("two lines");
    if want != hex {
        assert_ne!(
            build,
            crate::BUILD,
            "the cache's encoding changed but its key did not: another build would read these \
             bytes with another meaning. Add the source that changed it to build.rs's SHAPING \
             list, then run with ROADLOG_UPDATE_GOLDEN=1"
        );
        panic!(
            "the cache's encoding changed (its key changed too, so no cache is misread): review \
             the change and run with ROADLOG_UPDATE_GOLDEN=1 to record it"
        );
    }
}

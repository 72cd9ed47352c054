//! Tests of the parse cache kept between runs.

use super::*;
use crate::load::WorkTree;

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

/// Rewrites the cache so its record of the item says `Bravo`, keeping the record's stamp
/// and trust: what a same-size write in the same second as the stat would leave behind.
fn record_bravo(store: &Store) {
    let bytes = fs::read(store.file()).expect("cache written");
    let mut held = unpack(&bytes).expect("a whole cache");
    for (_, record) in held.records.iter_mut().flatten() {
        record.text = Arc::from("title: Bravo\nstatus: todo\n");
        if let Some(title) = &mut record.items[0].title {
            title.value = "Bravo".into();
        }
    }
    let records = held
        .records
        .iter()
        .flatten()
        .map(|(path, r)| {
            let r = RecordRef {
                role: r.role,
                stamp: r.stamp,
                trusted: r.trusted,
                text: &r.text,
                themes: &r.themes,
                items: &r.items,
                findings: &r.findings,
            };
            (path.as_str(), r)
        })
        .collect();
    let held = HeldRef {
        version: &held.version,
        options: held.options,
        records,
    };
    fs::write(store.file(), pack(&held).expect("packs").concat()).expect("write");
}

/// The item's title as read through a cache recorded afresh by a run that began at `started`
/// (seconds since the epoch) and then rewritten to say `Bravo`.
fn title_after_bravo(root: &Path, dir: &Path, started: i64) -> String {
    let mut store = Store::open(dir, root);
    store.started = started;
    store.held = None;
    assert_eq!(title(root, &mut store), "Alpha");
    record_bravo(&store);
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
    assert_eq!(title_after_bravo(root.path(), dir.path(), written), "Alpha");
    // Recorded a second later: the record alone is believed, and the file is not read.
    assert_eq!(
        title_after_bravo(root.path(), dir.path(), written + 1),
        "Bravo"
    );
}

#[test]
fn a_cache_of_another_version_or_other_statuses_is_not_read() {
    let (root, dir) = plan();
    let mut store = Store::open(dir.path(), root.path());
    store.started = i64::MAX;
    title(root.path(), &mut store);
    record_bravo(&store);
    let held = |bytes: &[u8]| unpack(bytes).expect("a whole cache");
    let bytes = fs::read(store.file()).expect("cache");
    for (version, options) in [
        ("0.0.0", held(&bytes).options),
        (env!("CARGO_PKG_VERSION"), 7),
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
fn only_a_whole_cache_file_is_unpacked() {
    let held = HeldRef {
        version: "1",
        options: 2,
        records: Vec::new(),
    };
    let bytes = pack(&held).expect("packs").concat();
    assert!(unpack(&bytes).is_some_and(|h| h.version == "1" && h.options == 2));
    for cut in 0..bytes.len() {
        assert!(unpack(&bytes[..cut]).is_none(), "cut at {cut}");
    }
    let mut flipped = bytes.clone();
    *flipped.last_mut().expect("bytes") ^= 1;
    assert!(unpack(&flipped).is_none());
}

#[test]
fn records_come_back_in_order_from_every_part() {
    let stamp = Stamp {
        size: 1,
        modified: (2, 3),
        changed: (4, 5),
        inode: 6,
        device: 7,
    };
    let paths: Vec<String> = (0..PARTS * 3 + 5)
        .map(|i| format!("backlog/{i}.yaml"))
        .collect();
    let record = |i: usize| RecordRef {
        role: Role::Item,
        stamp,
        trusted: i.is_multiple_of(2),
        text: &paths[i],
        themes: &[],
        items: &[],
        findings: &[],
    };
    let held = HeldRef {
        version: "v",
        options: 9,
        records: paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), record(i)))
            .collect(),
    };
    let bytes = pack(&held).expect("packs").concat();
    let back = unpack(&bytes).expect("unpacks");
    assert!(back.records.len() > 1, "{} parts", back.records.len());
    let back: Vec<&(String, Record)> = back.records.iter().flatten().collect();
    assert_eq!(back.len(), paths.len());
    for (i, (path, record)) in back.into_iter().enumerate() {
        assert_eq!(path, &paths[i]);
        assert_eq!(
            (&*record.text, record.trusted),
            (paths[i].as_str(), i.is_multiple_of(2))
        );
    }
}

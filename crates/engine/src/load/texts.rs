//! The texts of the plan files a renderer quotes, read again after the load: a plan keeps none
//! (see [`crate::model::Texts`]).

use std::sync::Arc;

use rayon::prelude::*;

use super::plan::decode;
use super::source::Source;
use crate::diag::FileId;
use crate::model::{SourceFile, Texts};

/// The texts of files `wanted` of a plan loaded from `source`, read again; a file whose text
/// is no longer the one parsed (saved since, or gone) is left out, and is not quoted.
pub fn texts(
    source: &dyn Source,
    files: &[SourceFile],
    wanted: impl IntoIterator<Item = FileId>,
) -> Texts {
    let mut wanted: Vec<FileId> = wanted.into_iter().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let read: Vec<(FileId, Option<String>)> = wanted
        .into_par_iter()
        .filter_map(|id| Some((id, files.get(id.0 as usize)?)))
        .map(|(id, file)| (id, text_of(source, file)))
        .collect();
    let mut texts = Texts::none();
    for (id, text) in read {
        if let Some(text) = text {
            texts.insert(id, Arc::from(text));
        }
    }
    texts
}

/// The text of `file` as it is in `source`, when it is still the text parsed.
pub fn text_of(source: &dyn Source, file: &SourceFile) -> Option<String> {
    let bytes = source.read(&file.path).ok()??;
    decode(bytes).ok().filter(|text| file.seal.holds(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{CONFIG_FILE, MemoryTree, load};

    #[test]
    fn only_texts_still_the_ones_parsed_are_given() {
        let tree = MemoryTree::new()
            .with(CONFIG_FILE, "")
            .with("backlog/A.yaml", "title: A\n")
            .with("backlog/B.yaml", "title: B\n")
            .with("backlog/C.yaml", "title: C\n");
        let plan = load(&tree, "t").expect("loads");
        let every = || (0..plan.files.len()).map(|i| FileId(i as u32));
        let quoted = texts(&tree, &plan.files, every());
        assert_eq!(quoted.get(FileId(0)), Some(""));
        assert_eq!(quoted.get(FileId(2)), Some("title: B\n"));
        // Saved since the load (the same length, too), or gone: not quoted.
        let mut later = tree.with("backlog/B.yaml", "title: X\n");
        later.remove("backlog/C.yaml");
        let quoted = texts(&later, &plan.files, every());
        assert_eq!(quoted.get(FileId(1)), Some("title: A\n"));
        assert_eq!(quoted.get(FileId(2)), None);
        assert_eq!(quoted.get(FileId(3)), None);
        // Only the files asked for are read.
        let quoted = texts(&later, &plan.files, [FileId(1), FileId(1), FileId(9)]);
        assert_eq!(quoted.get(FileId(1)), Some("title: A\n"));
        assert_eq!(quoted.get(FileId(0)), None);
    }
}

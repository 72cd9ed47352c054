//! Many blobs read at once: in parallel, with a repository handle per thread, since opening a
//! repository costs more than reading many blobs.

use std::sync::Arc;

use rayon::prelude::*;

use super::read::{Blob, read_blob};
use super::{Repo, git_error};
use crate::error::Error;
use crate::load::Identity;

impl Repo {
    /// The content of each of `files` (path and blob id), `None` for one too large to read;
    /// an error names the file and `rev`, the revision it was read for.
    pub(super) fn read_blobs(
        &self,
        files: &[(String, git2::Oid)],
        rev: &str,
    ) -> Result<Vec<Option<Arc<[u8]>>>, Error> {
        let git_dir = self.repo.path();
        let chunk = files.len().div_ceil(rayon::current_num_threads()).max(1);
        let read: Vec<Vec<Option<Arc<[u8]>>>> = files
            .par_chunks(chunk)
            .map(|files| {
                let repo = git2::Repository::open(git_dir)
                    .map_err(|e| git_error("cannot open the repository", &e))?;
                files
                    .iter()
                    .map(|(path, id)| match read_blob(&repo, *id) {
                        Ok(Blob::TooLarge(_)) => Ok(None),
                        Ok(Blob::Read(blob)) => Ok(Some(Arc::from(blob.content()))),
                        Err(e) => Err(git_error(&format!("cannot read `{path}` at `{rev}`"), &e)),
                    })
                    .collect()
            })
            .collect::<Result<_, Error>>()?;
        Ok(read.into_iter().flatten().collect())
    }

    /// [`Repo::read_blobs`] for files named by the loader's [`Identity`]: the unchanged files
    /// of a diff that a search found it needs, their tokens having been recorded.
    pub fn read_kept(
        &self,
        files: &[(&str, Identity)],
        rev: &str,
    ) -> Result<Vec<Option<Arc<[u8]>>>, Error> {
        let files: Vec<(String, git2::Oid)> = files
            .iter()
            .map(|(path, id)| {
                git2::Oid::from_bytes(id)
                    .map(|oid| (path.to_string(), oid))
                    .map_err(|e| git_error(&format!("cannot read `{path}` at `{rev}`"), &e))
            })
            .collect::<Result<_, Error>>()?;
        self.read_blobs(&files, rev)
    }
}

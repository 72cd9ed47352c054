//! `roadlog lsp`: the plan checked as it is typed. A Language Server Protocol server over stdio
//! (lsp-server's messages, lsp-types' types) over one [`state::Workspace`]: the disk under the
//! editor's unsaved buffers, re-read a file at a time.

mod edits;
mod handlers;
mod nav;
mod state;
mod text;
mod transport;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crossbeam_channel::{Sender, TryRecvError};
use lsp_server::{ErrorCode, Message, Notification, Request as LspRequest, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::{Diagnostic, InitializeParams, PositionEncodingKind, Uri};
use serde_json::{Value, json};

use crate::error::Error;
use crate::load;
use crate::request::Request;
use crate::time::Date;
use state::Workspace;
use text::Encoding;

/// Serves the protocol on stdin and stdout until the client says `exit` or goes away. Returns
/// whether the exit was the orderly one (`shutdown` first), which decides the exit status.
pub fn serve(req: &Request) -> Result<bool, Error> {
    let (connection, io) = transport::stdio();
    let (id, params) = match connection.initialize_start() {
        Ok(start) => start,
        // Started with nothing on the other end (by hand, or an editor that died at once).
        Err(e) if e.channel_is_disconnected() => {
            log(
                "the client closed the connection before `initialize`; started by hand? an editor starts `roadlog lsp` and speaks LSP on its stdin",
            );
            return Ok(false);
        }
        Err(e) => return Err(protocol_error(e)),
    };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let enc = negotiate(&params);
    let mut server = Server::new(connection.sender.clone(), enc, req);
    server.ws = server.find_workspace(&params);
    let result = json!({
        "capabilities": handlers::capabilities(enc),
        "serverInfo": { "name": "roadlog", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(protocol_error)?;
    server.watch_files(&params);
    server.publish(&HashSet::new());
    let clean = server.run(&connection.receiver);
    drop(server);
    drop(connection);
    io.join();
    Ok(clean)
}

fn protocol_error(e: lsp_server::ProtocolError) -> Error {
    Error::refused(
        crate::error::Refusal::Protocol,
        format!("the language client broke the protocol: {e}"),
    )
}

/// UTF-8 when the client offers it (no counting of UTF-16 units), else UTF-16, which every
/// client must accept.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// A check with "did you mean", for the check it was started after.
type Suggested = (u64, state::Findings);

pub(crate) struct Server {
    sender: Sender<Message>,
    pub(crate) enc: Encoding,
    pub(crate) ws: Option<Workspace>,
    explicit: Option<PathBuf>,
    cwd: PathBuf,
    pub(crate) today: Date,
    /// Open buffers' versions and URIs as the client spelled them, by path under the root.
    pub(crate) versions: HashMap<String, i32>,
    uris: HashMap<String, Uri>,
    /// The diagnostics last sent, by path, to send only what changed.
    published: HashMap<String, Vec<Diagnostic>>,
    /// The findings the published diagnostics were made from, by path.
    converted: HashMap<String, Vec<crate::diag::Finding>>,
    /// Whether the findings were checked without "did you mean", which another thread is
    /// working out (for `generation`, the count of checks: a result for an older one is dropped).
    unsuggested: bool,
    /// Whether that thread is at work.
    suggesting: bool,
    generation: u64,
    suggested: (Sender<Suggested>, crossbeam_channel::Receiver<Suggested>),
    /// Files to read again before the next answer.
    changed: HashSet<String>,
    shutdown: bool,
}

impl Server {
    fn new(sender: Sender<Message>, enc: Encoding, req: &Request) -> Server {
        Server {
            sender,
            enc,
            ws: None,
            explicit: req.plan.clone(),
            cwd: req.cwd.clone(),
            today: req.today,
            versions: HashMap::new(),
            uris: HashMap::new(),
            published: HashMap::new(),
            converted: HashMap::new(),
            unsuggested: false,
            suggesting: false,
            generation: 0,
            suggested: crossbeam_channel::unbounded(),
            changed: HashSet::new(),
            shutdown: false,
        }
    }

    /// The plan of `--plan`, else of the first workspace folder that holds one.
    fn find_workspace(&self, params: &InitializeParams) -> Option<Workspace> {
        let mut starts: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| path_of(&f.uri))
            .collect();
        #[allow(deprecated, reason = "older clients send only rootUri")]
        starts.extend(params.root_uri.as_ref().and_then(path_of));
        if self.explicit.is_some() || starts.is_empty() {
            starts.insert(0, self.cwd.clone());
        }
        starts.iter().find_map(|start| self.open_at(start))
    }

    fn open_at(&self, start: &Path) -> Option<Workspace> {
        let explicit = self.explicit.as_ref().map(|p| self.cwd.join(p));
        let root = load::find_root(start, explicit.as_deref()).ok()?;
        match Workspace::open(root, self.today) {
            Ok(ws) => Some(ws),
            Err(e) => {
                log(&format!("cannot read the plan: {e}"));
                None
            }
        }
    }

    /// Asks the client to report changes to plan files on disk, when it can be asked.
    fn watch_files(&self, params: &InitializeParams) {
        let can = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if !can {
            return;
        }
        let register = json!({ "registrations": [{
            "id": "roadlog-watch",
            "method": note::DidChangeWatchedFiles::METHOD,
            "registerOptions": { "watchers": [{ "globPattern": "**/*.{yaml,yml}" }] },
        }]});
        let request = LspRequest::new(
            "roadlog-watch".to_string().into(),
            "client/registerCapability".into(),
            register,
        );
        let _ = self.sender.send(request.into());
    }

    /// Handles messages until `exit` or the end of input; reads changed files again only once
    /// no message waits, so a burst of keystrokes costs one check, and the newest text wins.
    fn run(&mut self, receiver: &crossbeam_channel::Receiver<Message>) -> bool {
        loop {
            let message = if self.changed.is_empty() {
                // Waiting for the client, or for the "did you mean" of the last check, worked
                // out on another thread: a change that arrives first makes it stale.
                crossbeam_channel::select! {
                    recv(receiver) -> m => match m {
                        Ok(m) => m,
                        Err(_) => return false,
                    },
                    recv(self.suggested.1) -> done => {
                        self.suggesting = false;
                        match done {
                            Ok((generation, findings)) if generation == self.generation => {
                                self.unsuggested = false;
                                if let Some(ws) = self.ws.as_mut() {
                                    ws.suggested(findings);
                                }
                                self.publish(&HashSet::new());
                            }
                            // Stale: the plan changed meanwhile; start on the plan as it is.
                            _ => self.start_suggesting(),
                        }
                        continue;
                    }
                }
            } else {
                match receiver.try_recv() {
                    Ok(m) => m,
                    Err(TryRecvError::Empty) => {
                        self.refresh();
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => return false,
                }
            };
            match message {
                Message::Request(request) => {
                    if request.method == "shutdown" {
                        self.shutdown = true;
                        self.send(Response::new_ok(request.id, Value::Null).into());
                        continue;
                    }
                    if !self.changed.is_empty() {
                        self.refresh();
                    }
                    // Quick fixes are the suggestions: they cannot wait for a quiet moment.
                    if self.unsuggested && request.method == "textDocument/codeAction" {
                        self.unsuggested = false;
                        // What the other thread sends is not needed any more.
                        self.generation += 1;
                        if let Some(ws) = self.ws.as_mut() {
                            ws.suggest();
                        }
                        self.publish(&HashSet::new());
                    }
                    let response = self.answer(request);
                    self.send(response.into());
                }
                Message::Notification(n) if n.method == note::Exit::METHOD => return self.shutdown,
                Message::Notification(n) => {
                    let method = n.method.clone();
                    if let Err(e) = crate::internal::catch(|| {
                        self.notified(n);
                        Ok(())
                    }) {
                        log(&format!("{method}: {e}"));
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    /// One request's answer: a panic inside it is that request's error, and the server goes on.
    fn answer(&mut self, request: LspRequest) -> Response {
        let id = request.id.clone();
        if self.shutdown {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            );
        }
        let method = request.method.clone();
        match crate::internal::catch(|| {
            crate::internal::trip("lsp-request");
            Ok(handlers::handle(self, &request.method, request.params))
        }) {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(e) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("{method}: {e}"),
            ),
        }
    }

    fn notified(&mut self, n: Notification) {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let doc = p.text_document;
                if self.ws.is_none()
                    && let Some(dir) = path_of(&doc.uri).as_deref().and_then(Path::parent)
                {
                    self.ws = self.open_at(dir);
                }
                if let Some(rel) = self.relative(&doc.uri) {
                    self.versions.insert(rel.clone(), doc.version);
                    self.uris.insert(rel.clone(), doc.uri);
                    self.buffer(rel, Some(doc.text));
                }
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let Some(rel) = self.relative(&p.text_document.uri) else {
                    return;
                };
                let enc = self.enc;
                let Some(ws) = self.ws.as_mut() else { return };
                if let Some(buffer) = ws.buffers.get_mut(&rel) {
                    text::apply(buffer, p.content_changes, enc);
                    self.versions.insert(rel.clone(), p.text_document.version);
                    self.changed.insert(rel);
                }
            }
            note::DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                if let Some(rel) = self.relative(&p.text_document.uri) {
                    self.versions.remove(&rel);
                    self.buffer(rel, None);
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                for change in p.changes {
                    if let Some(rel) = self.relative(&change.uri)
                        && !self.versions.contains_key(&rel)
                    {
                        self.changed.insert(rel);
                    }
                }
            }
            // A save changes nothing the buffer did not already say; a file saved by another
            // tool arrives as a watched-file change.
            _ => {}
        }
    }

    /// Lays `text` over the disk at `rel` (or takes the disk's again for `None`).
    fn buffer(&mut self, rel: String, text: Option<String>) {
        let Some(ws) = self.ws.as_mut() else { return };
        match text {
            Some(text) if plan_file(&rel) => {
                ws.buffers.insert(rel.clone(), text);
            }
            Some(_) => return,
            None => {
                ws.buffers.remove(&rel);
            }
        }
        self.changed.insert(rel);
    }

    /// Starts working out "did you mean" on another thread, unless it is already at it (one at a
    /// time: on two cores a second would slow the check of the next change) or there is nothing
    /// to do.
    fn start_suggesting(&mut self) {
        if self.suggesting || !self.unsuggested {
            return;
        }
        let Some(work) = self.ws.as_ref().and_then(Workspace::suggest_later) else {
            return;
        };
        self.suggesting = true;
        let (done, generation) = (self.suggested.0.clone(), self.generation);
        std::thread::spawn(move || {
            let _ = done.send((generation, work()));
        });
    }

    fn refresh(&mut self) {
        let changed = std::mem::take(&mut self.changed);
        self.generation += 1;
        if let Some(ws) = self.ws.as_mut() {
            ws.refresh(&changed);
            self.unsuggested = true;
        }
        self.publish(&changed);
        self.start_suggesting();
    }

    /// Sends the diagnostics of every file whose findings are not what was last sent, those
    /// that lost every finding included.
    fn publish(&mut self, changed: &HashSet<String>) {
        let Some(ws) = &self.ws else { return };
        // Files that lost every finding are told so. The others are converted again only when a
        // change touched their text (positions need it) or their findings are not the ones last
        // converted: the same findings in the same text make the same diagnostics.
        let mut fresh: Vec<(String, Vec<Diagnostic>)> = self
            .published
            .keys()
            .filter(|p| !ws.findings.contains_key(*p))
            .map(|p| (p.clone(), Vec::new()))
            .collect();
        for (path, findings) in &ws.findings {
            if !changed.contains(path) && self.converted.get(path) == Some(findings) {
                continue;
            }
            fresh.push((
                path.clone(),
                handlers::diagnostics(self, ws, path, findings),
            ));
        }
        fresh.sort_by(|a, b| a.0.cmp(&b.0));
        self.converted.retain(|p, _| ws.findings.contains_key(p));
        for (path, diagnostics) in fresh {
            if let Some(findings) = ws.findings.get(&path) {
                self.converted.insert(path.clone(), findings.clone());
            }
            if self
                .published
                .get(&path)
                .map_or(diagnostics.is_empty(), |p| *p == diagnostics)
            {
                continue;
            }
            let Some(uri) = self.uri(&path) else { continue };
            let params = lsp_types::PublishDiagnosticsParams {
                uri,
                diagnostics: diagnostics.clone(),
                version: self.versions.get(&path).copied(),
            };
            let _ = self
                .sender
                .send(Notification::new(note::PublishDiagnostics::METHOD.into(), params).into());
            if diagnostics.is_empty() {
                self.published.remove(&path);
            } else {
                self.published.insert(path, diagnostics);
            }
        }
    }

    pub(crate) fn relative(&self, uri: &Uri) -> Option<String> {
        self.ws.as_ref()?.relative(&path_of(uri)?)
    }

    /// The URI of a file under the root: the client's own spelling when it opened it.
    pub(crate) fn uri(&self, rel: &str) -> Option<Uri> {
        if let Some(uri) = self.uris.get(rel) {
            return Some(uri.clone());
        }
        let root = &self.ws.as_ref()?.root;
        let path = std::path::absolute(root.join(rel)).ok()?;
        let url = url::Url::from_file_path(path).ok()?;
        Uri::from_str(url.as_str()).ok()
    }

    fn send(&self, message: Message) {
        let _ = self.sender.send(message);
    }
}

/// Whether a buffer at `rel` can be a plan file (the loader decides which of them are).
fn plan_file(rel: &str) -> bool {
    rel.ends_with(".yaml") || rel.ends_with(".yml")
}

/// The local path a `file:` URI names.
fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// A line on stderr, the only place a language server may talk to a person.
pub(crate) fn log(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "roadlog lsp: {message}");
}

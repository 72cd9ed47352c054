//! A minimal language client: starts `roadlog lsp`, sends requests and notifications, and keeps
//! what the server says on its own (diagnostics) for the test to wait on.

use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};

/// How long a test waits for one message before it fails (not a speed target: a hang guard).
const PATIENCE: Duration = Duration::from_secs(30);

pub(crate) struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: mpsc::Receiver<Message>,
    next: i32,
    /// Server notifications read while waiting for something else.
    pub(crate) notes: Vec<Notification>,
    /// Messages from the server that are not lsp-server messages, as the reader's error text.
    pub(crate) unreadable: Arc<Mutex<Vec<String>>>,
    pub(crate) root: String,
}

pub(crate) fn rel(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).expect("inside");
    rel.to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/")
}

pub(crate) fn uri(path: &Path) -> String {
    url::Url::from_file_path(path)
        .expect("absolute")
        .to_string()
}

impl Client {
    /// A server on `plan` (as the editor's workspace folder), initialised, with `encodings` as
    /// the client's offered position encodings.
    pub(crate) fn start(plan: &Path, encodings: &[&str], env: &[(&str, &str)]) -> Client {
        let mut cmd = crate::roadlog_std();
        cmd.args(["--today", crate::TODAY, "lsp"])
            .current_dir(plan)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("roadlog lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = mpsc::channel();
        let unreadable = Arc::new(Mutex::new(Vec::new()));
        let unread = Arc::clone(&unreadable);
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                match Message::read(&mut reader) {
                    Ok(Some(m)) => {
                        if tx.send(m).is_err() {
                            break;
                        }
                    }
                    // A response with a null id (the answer to a malformed message), which
                    // lsp-server's types cannot hold: kept as text.
                    Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                        unread.lock().expect("lock").push(e.to_string());
                    }
                    _ => break,
                }
            }
        });
        let stdin = child.stdin.take();
        let root = uri(&plan.canonicalize().expect("plan"));
        let mut client = Client {
            child,
            stdin,
            messages,
            next: 0,
            notes: Vec::new(),
            unreadable,
            root: root.clone(),
        };
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "workspaceFolders": [{ "uri": root, "name": "plan" }],
                "capabilities": { "general": { "positionEncodings": encodings } },
            }),
        );
        assert!(
            init["capabilities"]["definitionProvider"]
                .as_bool()
                .unwrap_or(false),
            "{init}"
        );
        client.notify("initialized", json!({}));
        client
    }

    pub(crate) fn uri(&self, rel: &str) -> String {
        format!("{}/{rel}", self.root)
    }

    pub(crate) fn send(&mut self, message: Message) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        message.write(stdin).expect("write");
        stdin.flush().expect("flush");
    }

    /// Raw bytes, for a message no client library would send.
    pub(crate) fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    /// The result of a request; panics on an error response.
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        match self.try_request(method, params) {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {e}"),
        }
    }

    /// The result of a request, or its error as JSON.
    pub(crate) fn try_request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.send(Request::new(id.clone(), method.into(), params).into());
        loop {
            match self.read() {
                Message::Response(r) if r.id == id => {
                    return match r.response_result {
                        Err(e) => Err(serde_json::to_value(e).expect("json")),
                        Ok(v) => Ok(v),
                    };
                }
                Message::Notification(n) => self.notes.push(n),
                // A request of the server's own (registerCapability): answered with null.
                Message::Request(r) => {
                    self.send(lsp_server::Response::new_ok(r.id, Value::Null).into())
                }
                Message::Response(_) => {}
            }
        }
    }

    fn read(&mut self) -> Message {
        self.messages
            .recv_timeout(PATIENCE)
            .expect("the server answers in time")
    }

    /// Reads until a publishDiagnostics for `uri` satisfying `want` arrives (or one kept from
    /// before does), and returns its diagnostics.
    pub(crate) fn diagnostics(&mut self, uri: &str, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        loop {
            if let Some(at) = self.notes.iter().rposition(|n| {
                n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri
            }) {
                let note = self.notes.remove(at);
                let diagnostics = note.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if want(&diagnostics) {
                    return diagnostics;
                }
            }
            match self.read() {
                Message::Notification(n) => self.notes.push(n),
                Message::Request(r) => {
                    self.send(lsp_server::Response::new_ok(r.id, Value::Null).into())
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Opens `rel` with `text` as its unsaved buffer.
    pub(crate) fn open(&mut self, rel: &str, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
    }

    /// Replaces the whole buffer of `rel`.
    pub(crate) fn change(&mut self, rel: &str, version: i32, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// `shutdown`, `exit`, and the exit status.
    pub(crate) fn stop(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.stdin.take();
        self.child.wait().expect("exits").code().unwrap_or(-1)
    }

    /// Closes stdin as a dying editor would, and the exit status.
    pub(crate) fn hang_up(mut self) -> i32 {
        self.stdin.take();
        self.child.wait().expect("exits").code().unwrap_or(-1)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

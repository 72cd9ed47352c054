//! Messages over stdin and stdout, as lsp-server frames them, by a reader that survives a
//! malformed message: lsp-server's own stdio transport ends the connection on one, where the
//! protocol asks for a parse error and the server to go on.

use std::io::{self, BufReader, ErrorKind, Write};
use std::thread;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::{Connection, ErrorCode, Message};

/// The writer, to wait for what is still being sent.
pub(crate) struct Io {
    writer: thread::JoinHandle<()>,
}

impl Io {
    /// Waits until every message sent has been written (all senders must be dropped first).
    pub(crate) fn join(self) {
        let _ = self.writer.join();
    }
}

pub(crate) fn stdio() -> (Connection, Io) {
    let (to_client, outgoing): (Sender<Message>, Receiver<Message>) = unbounded();
    let (incoming, from_client) = unbounded::<Message>();
    // stdout is locked per message: the reader answers a malformed message itself.
    let writer = thread::spawn(move || {
        for message in outgoing {
            let mut stdout = io::stdout().lock();
            if message
                .write(&mut stdout)
                .and_then(|()| stdout.flush())
                .is_err()
            {
                break;
            }
        }
    });
    // Never joined: it may be blocked reading a stdin that stays open after `exit`.
    thread::spawn(move || {
        let mut stdin = BufReader::new(io::stdin().lock());
        loop {
            match Message::read(&mut stdin) {
                Ok(Some(message)) => {
                    let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                    if incoming.send(message).is_err() || exit {
                        break;
                    }
                }
                // The editor went away.
                Ok(None) => break,
                // A message that is not JSON-RPC: its text was read whole, so the next one can
                // still be found. JSON-RPC answers a parse error with a null id.
                Err(e) if e.kind() == ErrorKind::InvalidData => {
                    super::log(&format!("a malformed message: {e}"));
                    parse_error(&e.to_string());
                }
                Err(e) => {
                    super::log(&format!("cannot read from the client: {e}"));
                    break;
                }
            }
        }
    });
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, Io { writer })
}

/// Answers a malformed message with JSON-RPC's parse error, whose id must be null: a response
/// lsp-server's types cannot hold (their ids are never null), so it is framed here as
/// lsp-server frames every message.
fn parse_error(what: &str) {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": ErrorCode::ParseError as i32, "message": format!("malformed message: {what}") },
    })
    .to_string();
    let mut stdout = io::stdout().lock();
    let _ = write!(stdout, "Content-Length: {}\r\n\r\n{body}", body.len());
    let _ = stdout.flush();
}

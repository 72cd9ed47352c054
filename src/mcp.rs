//! `roadlog mcp`: the plan for AI agents, over the Model Context Protocol (the official SDK,
//! `rmcp`, on stdio). Every read tool runs the same code as the command line with `--format
//! json` and returns that JSON as its structured content; the write tools go through the same
//! checks and atomic writes as `set` and `rename`, and take `dry_run`. Each call reads the plan as
//! it is on disk at that moment.

mod resources;
mod tools;

use std::io::Write;

use rmcp::ServiceExt;

use crate::error::Error;
use crate::request::Request;

/// Serves MCP on stdin and stdout until the client goes away. `read_only` offers only the tools
/// that change nothing. Returns whether a client connected (not one that closed stdin before
/// `initialize`), which decides the exit status.
pub fn serve(req: &Request, read_only: bool) -> Result<bool, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|source| Error::Io {
            path: "<runtime>".into(),
            source,
        })?;
    runtime.block_on(async {
        let server = tools::Plan::new(req.clone(), read_only);
        let running = match server.serve(rmcp::transport::stdio()).await {
            Ok(running) => running,
            // Started with nothing on the other end (by hand, or a client that died at once).
            Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "roadlog mcp: the client closed the connection before `initialize`; started \
                     by hand? an agent's client starts `roadlog mcp` and speaks MCP on its stdin"
                );
                return Ok(false);
            }
            Err(e) => {
                return Err(Error::refused(
                    crate::error::Refusal::Protocol,
                    format!("the MCP client broke the protocol: {e}"),
                ));
            }
        };
        running.waiting().await.map_err(|e| {
            Error::refused(
                crate::error::Refusal::Protocol,
                format!("the MCP connection failed: {e}"),
            )
        })?;
        Ok(true)
    })
}

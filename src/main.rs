//! The `roadlog` binary: parse arguments, call the library, map the result to an exit code.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

/// A stream whose failures must not change the verdict: once the reader has gone (a closed
/// pipe, `roadlog check | head -1`), or for stderr once any write failed, further output is
/// dropped and the run goes on to the exit status it has already earned.
struct Guarded<W> {
    inner: W,
    /// Swallow every error, not only a closed pipe (stderr: there is nowhere left to say it).
    any_error: bool,
    gone: bool,
}

impl<W: Write> Guarded<W> {
    fn new(inner: W, any_error: bool) -> Self {
        Guarded {
            inner,
            any_error,
            gone: false,
        }
    }

    fn absorb<T>(&mut self, result: io::Result<T>, done: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe || self.any_error => {
                self.gone = true;
                Ok(done)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Guarded<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.absorb(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb(result, ())
    }
}

fn main() -> ExitCode {
    roadlog::internal::install_hook();
    roadlog_git::configure_process();
    // serde-saphyr reads nested YAML by recursion, up to its depth budget of 64 levels: a debug
    // build needs more than the 2 MiB a thread is given by default (the main thread has 8).
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(16 << 20)
        .build_global();
    // `ROADLOG_COMPLETE=bash roadlog` prints the shell's registration; the shell then calls back
    // with the words typed, and the plan's ids are offered (see docs/editors.md). The variable is
    // roadlog's own: clap's default, `COMPLETE`, is a common name, and set in a CI job it would
    // make `roadlog check` print a script and exit 0 without checking anything.
    clap_complete::CompleteEnv::with_factory(<cli::Cli as clap::CommandFactory>::command)
        .var("ROADLOG_COMPLETE")
        .complete();
    let request = match cli::Cli::parse().into_request() {
        Ok(cli::Parsed::Run(r)) => *r,
        Ok(cli::Parsed::Completions(shell)) => {
            let mut command = <cli::Cli as clap::CommandFactory>::command();
            let mut out = Guarded::new(io::stdout().lock(), false);
            clap_complete::generate(shell, &mut command, "roadlog", &mut out);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let _ = writeln!(io::stderr(), "error: cannot read the current folder: {e}");
            return ExitCode::from(2);
        }
    };
    // A server reads and writes the protocol on stdin and stdout itself, unlocked.
    if let roadlog::Command::Lsp | roadlog::Command::Mcp { .. } = request.command {
        return match roadlog::internal::catch(|| {
            roadlog::run(&request, &mut io::sink(), &mut io::sink())
        }) {
            Ok(roadlog::Outcome::Success) => ExitCode::SUCCESS,
            Ok(roadlog::Outcome::Failed) => ExitCode::from(1),
            Err(e) => {
                let mut err = Guarded::new(io::stderr().lock(), true);
                let _ = roadlog::report_error(&e, &request, &mut err);
                ExitCode::from(2)
            }
        };
    }
    let mut out = Guarded::new(io::BufWriter::new(io::stdout().lock()), false);
    let mut err = Guarded::new(io::stderr().lock(), true);
    let result = roadlog::internal::catch(|| roadlog::run(&request, &mut out, &mut err));
    let result = match (result, out.flush()) {
        (Ok(_), Err(source)) => Err(roadlog::Error::Io {
            path: "<output>".into(),
            source,
        }),
        (result, _) => result,
    };
    match result {
        Ok(roadlog::Outcome::Success) => ExitCode::SUCCESS,
        Ok(roadlog::Outcome::Failed) => ExitCode::from(1),
        Err(e) => {
            let _ = roadlog::report_error(&e, &request, &mut err);
            ExitCode::from(2)
        }
    }
}

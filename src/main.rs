//! The `roadlog` binary: parse arguments, call the library, map the result to an exit code.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let request = match cli::Cli::parse().into_request() {
        Ok(cli::Parsed::Run(r)) => *r,
        Ok(cli::Parsed::Completions(shell)) => {
            let mut command = <cli::Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "roadlog", &mut io::stdout());
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let _ = writeln!(io::stderr(), "error: cannot read the current folder: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut err = io::stderr().lock();
    let result = roadlog::run(&request, &mut out, &mut err);
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
        // A closed pipe (`roadlog check --format json | head`) is not a failure.
        Err(roadlog::Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = roadlog::report_error(&e, &mut err, request.color_stderr, request.width);
            ExitCode::from(2)
        }
    }
}

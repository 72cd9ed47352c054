//! The tools of serve.md (their inputs in `inputs`): each read tool answers with what the
//! command prints with `--format json`, parsed, as its structured content; each write goes
//! through the command's own checks.

use std::collections::BTreeSet;

use rmcp::RoleServer;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, GetPromptRequestParams, GetPromptResponse, Implementation,
    ListPromptsResult, ListResourcesResult, PaginatedRequestParams, ReadResourceRequestParams,
    ReadResourceResponse, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, ServerHandler, tool, tool_handler, tool_router};
use serde_json::{Value, json};

use crate::request::{
    CheckFormat, Command, ForecastRequest, HistoryFormat, ListFormat, ListRequest, Request,
    RoadmapFormat, TableFormat, View,
};

mod inputs;

use inputs::{
    Audience, CheckInput, DiffInput, ForecastInput, HistoryInput, IdInput, ListInput, NewItemInput,
    NewThemeInput, NoInput, ProgressInput, RenameInput, ReportInput, SetInput,
};

/// The tools that change files, left out under `--read-only`.
const WRITES: [&str; 4] = ["new_item", "new_theme", "set", "rename"];

#[derive(Clone)]
pub(crate) struct Plan {
    base: Request,
    tool_router: ToolRouter<Plan>,
}

#[tool_router(router = tool_router)]
impl Plan {
    pub(crate) fn new(base: Request, read_only: bool) -> Plan {
        let mut tool_router = Self::tool_router();
        if read_only {
            for name in WRITES {
                tool_router.remove_route(name);
            }
        }
        Plan { base, tool_router }
    }

    /// Every rule over the plan: the findings `roadlog check --format json` gives (rule, severity,
    /// message, file, line, help), and a summary. Read this first to see what is wrong.
    #[tool(
        name = "check",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn check(
        &self,
        Parameters(input): Parameters<CheckInput>,
    ) -> Result<CallToolResult, McpError> {
        let errors_only = input.severity.as_deref() == Some("error");
        let command = Command::Check {
            format: CheckFormat::Json,
            deny_warnings: false,
            errors_only,
        };
        let files: Option<BTreeSet<String>> = input.files.map(|f| f.into_iter().collect());
        Ok(self.run(command, |mut json| {
            if let (Some(files), Some(list)) = (
                &files,
                json.get_mut("diagnostics").and_then(Value::as_array_mut),
            ) {
                list.retain(|d| d["file"].as_str().is_some_and(|f| files.contains(f)));
            }
            json
        }))
    }

    /// Backlog items (or themes) matching every filter given, as `roadlog list --format json`.
    #[tool(
        name = "list",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn list(
        &self,
        Parameters(input): Parameters<ListInput>,
    ) -> Result<CallToolResult, McpError> {
        let filter = crate::report::Filter {
            theme: input.theme,
            status: input.status,
            open: input.open,
            kind: input.kind,
            assignee: input.assignee,
            sprint: input.sprint,
            tag: input.tag,
            blocked: input.blocked,
            unestimated: input.unestimated,
        };
        let ask = ListRequest {
            themes: input.themes,
            filter,
            ..ListRequest::default()
        };
        let command = Command::List {
            ask,
            format: ListFormat::Report(TableFormat::Json),
        };
        Ok(self.run(command, |j| j))
    }

    /// How a theme or item traces: a theme's items with their progress, or an item's chain up to
    /// its theme, its children and what it waits on.
    #[tool(
        name = "trace",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn trace(
        &self,
        Parameters(input): Parameters<IdInput>,
    ) -> Result<CallToolResult, McpError> {
        let command = Command::Trace {
            id: input.id,
            format: TableFormat::Json,
        };
        Ok(self.run(command, |j| j))
    }

    /// Each theme's progress from its backlog (done and total weight, percent) and health.
    #[tool(
        name = "progress",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn progress(
        &self,
        Parameters(input): Parameters<ProgressInput>,
    ) -> Result<CallToolResult, McpError> {
        let command = Command::Progress {
            all: input.all,
            external: false,
            depth: None,
            format: TableFormat::Json,
        };
        Ok(self.run(command, |j| j))
    }

    /// A report for one audience: `exec` (themes, health, forecasts), `team` (the current
    /// sprint), `pm` (gaps: orphans, unestimated, blocked, stale).
    #[tool(
        name = "report",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn report(
        &self,
        Parameters(input): Parameters<ReportInput>,
    ) -> Result<CallToolResult, McpError> {
        let view = match input.audience {
            Audience::Exec => View::Exec {
                external: input.external,
            },
            Audience::Team => View::Team {
                sprint: None,
                limit: usize::MAX,
            },
            Audience::Pm => View::Pm,
        };
        let command = Command::Report {
            view,
            format: TableFormat::Json,
        };
        Ok(self.run(command, |j| j))
    }

    /// The roadmap: themes by horizon period, with status and progress.
    #[tool(
        name = "roadmap",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn roadmap(
        &self,
        Parameters(_): Parameters<NoInput>,
    ) -> Result<CallToolResult, McpError> {
        let command = Command::Roadmap {
            external: false,
            format: RoadmapFormat::Report(TableFormat::Json),
        };
        Ok(self.run(command, |j| j))
    }

    /// When each theme is likely to finish (p50, p85, p95), from the team's throughput in git,
    /// under an optional scenario: themes deferred or dropped, capacity scaled, work added.
    #[tool(
        name = "forecast",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn forecast(
        &self,
        Parameters(input): Parameters<ForecastInput>,
    ) -> Result<CallToolResult, McpError> {
        let mut add = Vec::new();
        for entry in &input.add {
            match crate::request::parse_added(entry) {
                Ok(pair) => add.push(pair),
                Err(e) => return Ok(refusal(&format!("`add`: {e}"))),
            }
        }
        let command = Command::Forecast {
            ask: ForecastRequest {
                options: crate::forecast::Options::default(),
                defer: input.defer,
                drop: input.drop,
                capacity: input.capacity,
                add,
                backtest: false,
            },
            format: TableFormat::Json,
        };
        Ok(self.run(command, |j| j))
    }

    /// What changed in the plan between two git revisions: themes and items added, removed or
    /// changed, findings introduced and resolved, and the open work a change of a theme reaches.
    #[tool(
        name = "diff",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn diff(
        &self,
        Parameters(input): Parameters<DiffInput>,
    ) -> Result<CallToolResult, McpError> {
        let command = Command::Diff {
            base: input.base,
            head: input.head,
            format: TableFormat::Json,
            fail_on: None,
            forecast: false,
        };
        Ok(self.run(command, |j| j))
    }

    /// Progress and alignment over time, from the plan's git history.
    #[tool(
        name = "history",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn history(
        &self,
        Parameters(input): Parameters<HistoryInput>,
    ) -> Result<CallToolResult, McpError> {
        let every = match input.every.as_deref() {
            None | Some("week") => crate::history::Every::Week,
            Some("day") => crate::history::Every::Day,
            Some("month") => crate::history::Every::Month,
            Some("commit") => crate::history::Every::Commit,
            Some(other) => {
                return Ok(refusal(&format!(
                    "`every` is `{other}`; it is one of day, week, month, commit"
                )));
            }
        };
        let since = match input.since.as_deref().map(str::parse) {
            None => None,
            Some(Ok(date)) => Some(date),
            Some(Err(e)) => return Ok(refusal(&format!("`since`: {e}"))),
        };
        let command = Command::History {
            every,
            since,
            format: HistoryFormat::Json,
        };
        Ok(self.run(command, |j| j))
    }

    /// Creates a backlog item with the next free id, as `roadlog new item` does: refused, with
    /// the reason, when the plan would gain an error. `dry_run` shows the file and writes nothing.
    #[tool(
        name = "new_item",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn new_item(
        &self,
        Parameters(input): Parameters<NewItemInput>,
    ) -> Result<CallToolResult, McpError> {
        let item = crate::author::NewItem {
            title: input.title,
            kind: input.kind,
            status: input.status.unwrap_or_else(|| "todo".into()),
            theme: input.theme,
            parent: input.parent,
            estimate: input.estimate,
            priority: input.priority,
            sprint: input.sprint,
            assignee: input.assignee,
            depends_on: input.depends_on,
            acceptance: input.acceptance,
            tags: input.tags,
            dir: input.dir,
        };
        if input.dry_run {
            return Ok(answer(crate::cmd::dry_new_item(&self.base, &item)));
        }
        Ok(self.run_text(Command::NewItem(item)))
    }

    /// Creates a roadmap theme, as `roadlog new theme` does: refused, with the reason, when the
    /// id is taken or the plan would gain an error. `dry_run` shows the file and writes nothing.
    #[tool(
        name = "new_theme",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn new_theme(
        &self,
        Parameters(input): Parameters<NewThemeInput>,
    ) -> Result<CallToolResult, McpError> {
        let mut metrics = Vec::new();
        for m in &input.metrics {
            match crate::author::parse_metric(m) {
                Ok(metric) => metrics.push(metric),
                Err(e) => return Ok(refusal(&format!("`metrics`: {e}"))),
            }
        }
        let theme = crate::author::NewTheme {
            id: input.id,
            title: input.title,
            objective: input.objective,
            horizon: input.horizon,
            status: input.status.unwrap_or_else(|| "proposed".into()),
            priority: input.priority,
            owner: input.owner,
            metrics,
            parent: None,
        };
        if input.dry_run {
            return Ok(answer(crate::cmd::dry_new_theme(&self.base, &theme)));
        }
        Ok(self.run_text(Command::NewTheme(theme)))
    }

    /// Changes one field of a theme or item, as `roadlog set` does: refused, with the reason,
    /// when the plan would gain an error; written atomically otherwise. `dry_run` shows the
    /// change and the warnings it would add, and writes nothing.
    #[tool(
        name = "set",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    async fn set(
        &self,
        Parameters(input): Parameters<SetInput>,
    ) -> Result<CallToolResult, McpError> {
        use crate::edit::Change;
        let change = match (input.value, input.add, input.remove, input.unset) {
            (Some(v), None, None, false) => Change::To(v),
            (None, Some(v), None, false) => Change::Add(v),
            (None, None, Some(v), false) => Change::Remove(v),
            (None, None, None, true) => Change::Unset,
            _ => {
                return Ok(refusal(
                    "give exactly one of `value`, `add`, `remove` or `unset: true`",
                ));
            }
        };
        if !input.dry_run {
            let command = Command::Set {
                id: input.id,
                field: input.field,
                change,
            };
            return Ok(self.run_text(command));
        }
        Ok(answer(crate::cmd::dry_set(
            &self.base,
            &input.id,
            &input.field,
            &change,
        )))
    }

    /// Gives a theme or item a new id, as `roadlog rename` does: every reference rewritten, the
    /// old id kept in `aliases:`, the theme's file renamed, all or nothing. `dry_run` lists the
    /// files that would change, and writes nothing.
    #[tool(
        name = "rename",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn rename(
        &self,
        Parameters(input): Parameters<RenameInput>,
    ) -> Result<CallToolResult, McpError> {
        if !input.dry_run {
            let command = Command::Rename {
                old: input.old,
                new: input.new,
            };
            return Ok(self.run_text(command));
        }
        Ok(answer(crate::cmd::dry_rename(
            &self.base, &input.old, &input.new,
        )))
    }
}

impl Plan {
    /// Runs `command` as the command line would, its JSON output as the structured content
    /// (after `shape`); a run that fails is a tool error with the command line's message.
    fn run(&self, command: Command, shape: impl FnOnce(Value) -> Value) -> CallToolResult {
        let (out, _, result) = self.execute(command);
        match result {
            Ok(_) => match serde_json::from_slice::<Value>(&out) {
                Ok(json) => CallToolResult::structured(shape(json)),
                Err(e) => refusal(&format!(
                    "internal error: the command's JSON did not read: {e}"
                )),
            },
            Err(e) => refused(&e),
        }
    }

    /// Runs a write as the command line would: the files written, and what it said of them
    /// (the warnings the change adds).
    fn run_text(&self, command: Command) -> CallToolResult {
        let (out, said, result) = self.execute(command);
        let lines = |b: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(b)
                .lines()
                .map(str::to_string)
                .collect()
        };
        match result {
            Ok(_) => CallToolResult::structured(json!({
                "written": lines(&out),
                "notes": lines(&said),
            })),
            Err(e) => refused(&e),
        }
    }

    fn execute(
        &self,
        command: Command,
    ) -> (
        Vec<u8>,
        Vec<u8>,
        Result<crate::request::Outcome, crate::Error>,
    ) {
        let mut req = self.base.clone();
        req.command = command;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = crate::internal::catch(|| crate::cmd::run(&req, &mut out, &mut err));
        (out, err, result)
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Plan {
    async fn list_resources(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        super::resources::list(&self.base)
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        super::resources::read(&self.base, &request.uri).map(Into::into)
    }

    async fn list_prompts(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        Ok(super::resources::prompts())
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        super::resources::prompt(&request.name).map(Into::into)
    }

    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_resources()
            .enable_prompts()
            .build();
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("roadlog", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "roadlog keeps a product roadmap (themes: why and when) and backlog (items: what \
                 and how) as YAML files in git. Start with `check` for what is wrong, `report` \
                 with audience pm for the gaps, `list` and `trace` to look closer. Writes \
                 (`set`, `rename`) are refused when they would add an error; try them with \
                 `dry_run: true` first.",
            )
    }
}

/// A dry run's result, or the refusal the write would meet.
fn answer(result: Result<Value, crate::Error>) -> CallToolResult {
    match result {
        Ok(value) => CallToolResult::structured(value),
        Err(e) => refused(&e),
    }
}

/// A command's refusal as a tool error: its text for the agent to read, and `{code, message,
/// help}` as structured content for a program to branch on (`unknown-id`, `would-fail-check`, …).
fn refused(e: &crate::Error) -> CallToolResult {
    let mut result = CallToolResult::structured_error(json!({
        "code": e.code(),
        "message": e.message(),
        "help": e.help(),
    }));
    result.content = vec![ContentBlock::text(crate::cmd::plain(e))];
    result
}

/// A tool error an agent reads: the request was fine, the plan said no.
fn refusal(message: &str) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message.to_string())])
}

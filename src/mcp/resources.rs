//! The resources and the prompt of serve.md: each theme's and item's file text, the executive
//! report as markdown, and `plan-review`.

use rmcp::ErrorData as McpError;
use rmcp::model::{
    GetPromptResult, ListPromptsResult, ListResourcesResult, Prompt, PromptMessage,
    ReadResourceResult, Resource, ResourceContents, Role,
};

use crate::load;
use crate::request::{Command, Request, TableFormat, View};

const THEMES: &str = "roadlog://plan/themes/";
const ITEMS: &str = "roadlog://plan/items/";
const EXEC: &str = "roadlog://reports/exec";

/// The plan on disk now, with its root, read as the commands read it (through the parse cache).
fn plan(req: &Request) -> Result<(std::path::PathBuf, crate::model::Plan), McpError> {
    let fail = |e: crate::Error| McpError::internal_error(crate::cmd::plain(&e), None);
    let root = load::find_root(&req.cwd, req.plan.as_deref()).map_err(fail)?;
    let plan = crate::cmd::load_work_tree(req, &root).map_err(fail)?;
    Ok((root, plan))
}

pub(crate) fn list(req: &Request) -> Result<ListResourcesResult, McpError> {
    let (_, plan) = plan(req)?;
    let mut all = vec![
        Resource::new(EXEC, "exec report")
            .with_description("The executive report as markdown: themes, health, forecasts")
            .with_mime_type("text/markdown"),
    ];
    for t in &plan.themes {
        all.push(
            Resource::new(format!("{THEMES}{}", t.id.value), t.id.value.clone())
                .with_title(t.display_title())
                .with_description(format!("theme file {}", plan.file(t.file).path))
                .with_mime_type("application/yaml"),
        );
    }
    for i in &plan.items {
        all.push(
            Resource::new(format!("{ITEMS}{}", i.id.value), i.id.value.clone())
                .with_title(i.title_text())
                .with_description(format!("backlog file {}", plan.file(i.file).path))
                .with_mime_type("application/yaml"),
        );
    }
    Ok(ListResourcesResult::with_all_items(all))
}

pub(crate) fn read(req: &Request, uri: &str) -> Result<ReadResourceResult, McpError> {
    let not_found = || McpError::resource_not_found(format!("no resource `{uri}`"), None);
    if uri == EXEC {
        let mut req = req.clone();
        req.command = Command::Report {
            view: View::Exec { external: false },
            format: TableFormat::Markdown,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        crate::internal::catch(|| crate::cmd::run(&req, &mut out, &mut err))
            .map_err(|e| McpError::internal_error(crate::cmd::plain(&e), None))?;
        let text = String::from_utf8_lossy(&out).into_owned();
        let contents = ResourceContents::text(text, uri).with_mime_type("text/markdown");
        return Ok(ReadResourceResult::new(vec![contents]));
    }
    let (root, plan) = plan(req)?;
    let file = if let Some(id) = uri.strip_prefix(THEMES) {
        plan.themes
            .iter()
            .find(|t| t.id.value == id)
            .map(|t| t.file)
    } else if let Some(id) = uri.strip_prefix(ITEMS) {
        plan.items.iter().find(|i| i.id.value == id).map(|i| i.file)
    } else {
        None
    }
    .ok_or_else(not_found)?;
    let path = root.join(&plan.file(file).path);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| McpError::internal_error(format!("{}: {e}", path.display()), None))?;
    let contents = ResourceContents::text(text, uri).with_mime_type("application/yaml");
    Ok(ReadResourceResult::new(vec![contents]))
}

pub(crate) const REVIEW: &str = "plan-review";

pub(crate) fn prompts() -> ListPromptsResult {
    ListPromptsResult::with_all_items(vec![Prompt::new(
        REVIEW,
        Some("Review the plan: what `check` and the PM report find, and the fixes to propose"),
        None,
    )])
}

pub(crate) fn prompt(name: &str) -> Result<GetPromptResult, McpError> {
    if name != REVIEW {
        return Err(McpError::invalid_params(
            format!("no prompt `{name}`; the one prompt is `{REVIEW}`"),
            None,
        ));
    }
    let text = "Review this product plan with the roadlog tools. Call `check` and read every \
                error and warning, then `report` with audience `pm` for the gaps (orphans, \
                unestimated, blocked and stale work). Group what you find by theme. For each \
                problem propose one fix as a `set`, `rename` or `new_item` call, and run it with \
                `dry_run: true` first to show the change. Do not write anything until I agree.";
    Ok(
        GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
            .with_description("Review the plan and propose fixes"),
    )
}

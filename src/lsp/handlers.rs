//! The requests: each reads the workspace as the last refresh left it and answers in the
//! protocol's types.

mod offers;
mod symbols;

use std::collections::HashMap;

use lsp_server::ErrorCode;
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Hover, HoverContents, Location,
    MarkupContent, MarkupKind, NumberOrString, Position, Range, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::Server;
use super::nav::{self, Entity};
use super::state::Workspace;
use super::text::{Encoding, Lines};
use crate::diag::{Finding, Severity};
use crate::model::Span;
use crate::trace::Trace;

type Answer = Result<Value, (ErrorCode, String)>;

pub(crate) fn capabilities(enc: Encoding) -> Value {
    json!({
        "positionEncoding": match enc { Encoding::Utf8 => "utf-8", Encoding::Utf16 => "utf-16" },
        "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
        "definitionProvider": true,
        "referencesProvider": true,
        "hoverProvider": true,
        "completionProvider": { "triggerCharacters": [":", " ", "-", "["] },
        "renameProvider": { "prepareProvider": true },
        "codeActionProvider": { "codeActionKinds": ["quickfix"] },
        "documentSymbolProvider": true,
        "workspaceSymbolProvider": true,
        "inlayHintProvider": true,
    })
}

pub(crate) fn handle(server: &mut Server, method: &str, params: Value) -> Answer {
    match method {
        req::GotoDefinition::METHOD => definition(server, parse(params)?),
        req::References::METHOD => references(server, parse(params)?),
        req::HoverRequest::METHOD => hover(server, parse(params)?),
        req::Completion::METHOD => offers::completion(server, parse(params)?),
        req::PrepareRenameRequest::METHOD => offers::prepare_rename(server, parse(params)?),
        req::Rename::METHOD => offers::rename(server, parse(params)?),
        req::CodeActionRequest::METHOD => offers::code_actions(server, parse(params)?),
        req::DocumentSymbolRequest::METHOD => symbols::document_symbols(server, parse(params)?),
        req::WorkspaceSymbolRequest::METHOD => symbols::workspace_symbols(server, parse(params)?),
        req::InlayHintRequest::METHOD => symbols::inlay_hints(server, parse(params)?),
        _ => Err((
            ErrorCode::MethodNotFound,
            format!("roadlog lsp does not answer `{method}`"),
        )),
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn ok<T: serde::Serialize>(value: T) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// A plan file open at a position: its path, text and the byte offset of the position.
struct Spot {
    rel: String,
    text: String,
    offset: usize,
}

fn spot(server: &Server, uri: &Uri, pos: Position) -> Option<Spot> {
    let rel = server.relative(uri)?;
    let text = server.ws.as_ref()?.text(&rel)?.into_owned();
    let offset = Lines::new(&text).offset(pos, server.enc);
    Some(Spot { rel, text, offset })
}

/// The plan file a request names: the workspace, its plan, the file's path and its index.
fn plan_file<'s>(
    server: &'s Server,
    uri: &Uri,
) -> Option<(
    &'s Workspace,
    &'s crate::model::Plan,
    String,
    crate::diag::FileId,
)> {
    let ws = server.ws.as_ref()?;
    let plan = ws.plan.as_ref()?;
    let rel = server.relative(uri)?;
    let file = nav::file_id(plan, &rel)?;
    Some((ws, plan, rel, file))
}

/// Ranges in the files of the plan, each file's text read once.
struct Ranges<'a> {
    ws: &'a Workspace,
    enc: Encoding,
    texts: HashMap<String, Option<String>>,
}

impl<'a> Ranges<'a> {
    fn new(ws: &'a Workspace, enc: Encoding) -> Ranges<'a> {
        Ranges {
            ws,
            enc,
            texts: HashMap::new(),
        }
    }

    fn range(&mut self, rel: &str, span: Option<Span>) -> Range {
        let Some(span) = span else {
            return Range::default();
        };
        let text = self
            .texts
            .entry(rel.to_string())
            .or_insert_with(|| self.ws.text(rel).map(|t| t.into_owned()));
        match text {
            Some(text) => Lines::new(text).range(span.start(), span.end(), self.enc),
            None => Range::default(),
        }
    }
}

/// The protocol's diagnostics for the findings of one file.
pub(crate) fn diagnostics(
    server: &Server,
    ws: &Workspace,
    path: &str,
    findings: &[Finding],
) -> Vec<Diagnostic> {
    let mut ranges = Ranges::new(ws, server.enc);
    findings
        .iter()
        .map(|f| {
            let mut message = f.message.to_string();
            if let Some(help) = &f.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let related = f.related.as_ref().and_then(|related| {
                let (at, label) = related.as_ref();
                let file = &ws.plan.as_ref()?.files.get(at.file.0 as usize)?.path;
                Some(vec![DiagnosticRelatedInformation {
                    location: Location::new(server.uri(file)?, ranges.range(file, at.span)),
                    message: label.clone(),
                }])
            });
            Diagnostic {
                range: ranges.range(path, f.at.and_then(|a| a.span)),
                severity: Some(match f.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(f.rule.code().into())),
                source: Some("roadlog".into()),
                message,
                related_information: related,
                ..Diagnostic::default()
            }
        })
        .collect()
}

fn definition(server: &Server, p: lsp_types::GotoDefinitionParams) -> Answer {
    let at = p.text_document_position_params;
    let locations = hit_targets(server, &at.text_document.uri, at.position)
        .map(|(ws, targets)| {
            let plan = ws.plan.as_ref();
            let mut ranges = Ranges::new(ws, server.enc);
            targets
                .into_iter()
                .filter_map(|e| {
                    let plan = plan?;
                    let (file, span) = nav::definition(plan, e);
                    let rel = &plan.file(file).path;
                    Some(Location::new(server.uri(rel)?, ranges.range(rel, span)))
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    ok(locations)
}

fn hit_targets<'s>(
    server: &'s Server,
    uri: &Uri,
    pos: Position,
) -> Option<(&'s Workspace, Vec<Entity>)> {
    let (ws, plan, _, hit) = hit_at(server, uri, pos)?;
    Some((ws, nav::targets(plan, &hit)))
}

/// The id under the cursor, with the file's spot and the plan it is in.
fn hit_at<'s>(
    server: &'s Server,
    uri: &Uri,
    pos: Position,
) -> Option<(&'s Workspace, &'s crate::model::Plan, Spot, nav::Hit)> {
    let ws = server.ws.as_ref()?;
    let plan = ws.plan.as_ref()?;
    let spot = spot(server, uri, pos)?;
    let file = nav::file_id(plan, &spot.rel)?;
    let hit = nav::at(plan, file, spot.offset)?;
    Some((ws, plan, spot, hit))
}

fn references(server: &Server, p: lsp_types::ReferenceParams) -> Answer {
    let at = p.text_document_position;
    let declarations = p.context.include_declaration;
    let Some((ws, targets)) = hit_targets(server, &at.text_document.uri, at.position) else {
        return ok(Vec::<Location>::new());
    };
    let Some(plan) = ws.plan.as_ref() else {
        return ok(Vec::<Location>::new());
    };
    let mut ranges = Ranges::new(ws, server.enc);
    let mut out = Vec::new();
    for entity in targets {
        for (file, span) in nav::references(plan, entity, declarations) {
            let rel = &plan.file(file).path;
            if let Some(uri) = server.uri(rel) {
                let location = Location::new(uri, ranges.range(rel, Some(span)));
                if !out.contains(&location) {
                    out.push(location);
                }
            }
        }
    }
    ok(out)
}

fn hover(server: &Server, p: lsp_types::HoverParams) -> Answer {
    let at = p.text_document_position_params;
    let Some((ws, targets)) = hit_targets(server, &at.text_document.uri, at.position) else {
        return ok(Value::Null);
    };
    let Some(plan) = ws.plan.as_ref() else {
        return ok(Value::Null);
    };
    if targets.is_empty() {
        return ok(Value::Null);
    }
    let trace = Trace::new(plan);
    let text: Vec<String> = targets
        .into_iter()
        .map(|e| nav::hover(plan, &trace, e, ws.today))
        .collect();
    ok(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text.join("\n---\n"),
        }),
        range: None,
    })
}

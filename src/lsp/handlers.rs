//! The requests: each reads the workspace as the last refresh left it and answers in the
//! protocol's types.

use std::collections::HashMap;

use lsp_server::ErrorCode;
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DocumentChangeOperation,
    DocumentChanges, DocumentSymbol, Hover, HoverContents, InlayHint, InlayHintLabel, Location,
    MarkupContent, MarkupKind, NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, PrepareRenameResponse, Range, RenameFile, ResourceOp, SymbolInformation, SymbolKind,
    TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::Server;
use super::edits::{self, OfferKind};
use super::nav::{self, Entity};
use super::state::Workspace;
use super::text::{Encoding, Lines};
use crate::diag::{Finding, Severity};
use crate::load::Overlay;
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
        req::Completion::METHOD => completion(server, parse(params)?),
        req::PrepareRenameRequest::METHOD => prepare_rename(server, parse(params)?),
        req::Rename::METHOD => rename(server, parse(params)?),
        req::CodeActionRequest::METHOD => code_actions(server, parse(params)?),
        req::DocumentSymbolRequest::METHOD => document_symbols(server, parse(params)?),
        req::WorkspaceSymbolRequest::METHOD => workspace_symbols(server, parse(params)?),
        req::InlayHintRequest::METHOD => inlay_hints(server, parse(params)?),
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
    let ws = server.ws.as_ref()?;
    let plan = ws.plan.as_ref()?;
    let spot = spot(server, uri, pos)?;
    let file = nav::file_id(plan, &spot.rel)?;
    let hit = nav::at(plan, file, spot.offset)?;
    Some((ws, nav::targets(plan, &hit)))
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

fn completion(server: &Server, p: lsp_types::CompletionParams) -> Answer {
    let at = p.text_document_position;
    let (Some(ws), Some(spot)) = (
        server.ws.as_ref(),
        spot(server, &at.text_document.uri, at.position),
    ) else {
        return ok(Vec::<CompletionItem>::new());
    };
    let Some(plan) = ws.plan.as_ref() else {
        return ok(Vec::<CompletionItem>::new());
    };
    let line_start = spot
        .text
        .get(..spot.offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let before = spot.text.get(line_start..spot.offset).unwrap_or("");
    let theme_file = is_theme_file(ws, &spot.rel);
    let offers = edits::complete(plan, &spot.text, line_start, before, theme_file);
    let items: Vec<CompletionItem> = offers
        .into_iter()
        .enumerate()
        .map(|(n, o)| CompletionItem {
            label: o.label,
            detail: o.detail,
            kind: Some(match o.kind {
                OfferKind::Reference => CompletionItemKind::REFERENCE,
                OfferKind::Value => CompletionItemKind::VALUE,
                OfferKind::Field => CompletionItemKind::FIELD,
            }),
            // Kept in the order offered (required fields first).
            sort_text: Some(format!("{n:06}")),
            ..CompletionItem::default()
        })
        .collect();
    ok(items)
}

fn is_theme_file(ws: &Workspace, rel: &str) -> bool {
    let plan = ws.plan.as_ref();
    let dir = plan.map_or("roadmap", |p| p.config.roadmap_dir.as_str());
    rel.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

fn prepare_rename(server: &Server, p: lsp_types::TextDocumentPositionParams) -> Answer {
    let Some(ws) = server.ws.as_ref() else {
        return ok(Value::Null);
    };
    let found = ws.plan.as_ref().and_then(|plan| {
        let spot = spot(server, &p.text_document.uri, p.position)?;
        let file = nav::file_id(plan, &spot.rel)?;
        let hit = nav::at(plan, file, spot.offset)?;
        let range = Lines::new(&spot.text).range(hit.span.start(), hit.span.end(), server.enc);
        Some(PrepareRenameResponse::RangeWithPlaceholder {
            range,
            placeholder: hit.id,
        })
    });
    match found {
        Some(r) => ok(r),
        None => Err((
            ErrorCode::RequestFailed,
            "there is no theme or item id here to rename".into(),
        )),
    }
}

/// The same change as `roadlog rename`, worked out over the unsaved buffers and offered as one
/// edit: every file's new text as the smallest edit, and the entity's file renamed with its id.
fn rename(server: &Server, p: lsp_types::RenameParams) -> Answer {
    let at = p.text_document_position;
    let refuse = |m: String| (ErrorCode::RequestFailed, m);
    let ws = server
        .ws
        .as_ref()
        .ok_or_else(|| refuse("no plan is open".into()))?;
    let plan = ws
        .plan
        .as_ref()
        .ok_or_else(|| refuse("the plan cannot be read".into()))?;
    let spot = spot(server, &at.text_document.uri, at.position)
        .ok_or_else(|| refuse("this file is not part of the plan".into()))?;
    let hit = nav::file_id(plan, &spot.rel)
        .and_then(|file| nav::at(plan, file, spot.offset))
        .ok_or_else(|| refuse("there is no theme or item id here to rename".into()))?;
    let tree = crate::load::WorkTree::new(&ws.root).map_err(|e| refuse(e.to_string()))?;
    let mut overlay = Overlay::new(&tree);
    for (path, text) in &ws.buffers {
        overlay.set(path.clone(), Some(text.as_bytes().to_vec()));
    }
    let planned = crate::edit::plan_rename(
        &ws.root,
        &overlay,
        plan.clone(),
        &hit.id,
        &p.new_name,
        ws.today,
    )
    .map_err(|e| refuse(plain(&e)))?;
    let moved = planned.moved.clone();
    let mut operations = Vec::new();
    for (path, text) in &planned.changes {
        let Some(new) = text else { continue };
        // The moved file's text is edited under its old name, then renamed.
        let edited = match &moved {
            Some((from, to)) if to == path => from,
            _ => path,
        };
        let old = ws.text(edited).map(|t| t.into_owned()).unwrap_or_default();
        let (start, end, replacement) = edits::minimal(&old, new);
        let uri = server
            .uri(edited)
            .ok_or_else(|| refuse(format!("no URI for {edited}")))?;
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri,
                version: server.versions.get(edited).copied(),
            },
            edits: vec![OneOf::Left(TextEdit {
                range: Lines::new(&old).range(start, end, server.enc),
                new_text: replacement,
            })],
        }));
    }
    if let Some((from, to)) = &moved {
        let (Some(old_uri), Some(new_uri)) = (server.uri(from), server.uri(to)) else {
            return Err(refuse(format!("no URI for {from}")));
        };
        operations.push(DocumentChangeOperation::Op(ResourceOp::Rename(
            RenameFile {
                old_uri,
                new_uri,
                options: None,
                annotation_id: None,
            },
        )));
    }
    ok(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..WorkspaceEdit::default()
    })
}

fn code_actions(server: &Server, p: lsp_types::CodeActionParams) -> Answer {
    let mut out: Vec<CodeActionOrCommand> = Vec::new();
    let uri = p.text_document.uri;
    let (Some(ws), Some(rel)) = (server.ws.as_ref(), server.relative(&uri)) else {
        return ok(out);
    };
    let Some(text) = ws.text(&rel).map(|t| t.into_owned()) else {
        return ok(out);
    };
    let lines = Lines::new(&text);
    let (from, to) = (
        lines.offset(p.range.start, server.enc),
        lines.offset(p.range.end, server.enc),
    );
    let touches = |s: usize, e: usize| s <= to && from <= e;
    let mut fixes = Vec::new();
    for finding in ws.findings.get(&rel).into_iter().flatten() {
        let Some(span) = finding.at.and_then(|a| a.span) else {
            continue;
        };
        if touches(span.start(), span.end()) {
            fixes.extend(edits::fixes(finding, &text));
        }
    }
    if let Some(plan) = ws.plan.as_ref()
        && let Some(file) = nav::file_id(plan, &rel)
    {
        fixes.extend(
            edits::done_on(plan, file, &text, ws.today)
                .into_iter()
                .filter(|f| touches(lines_start(&text, f.start), f.end)),
        );
    }
    for fix in fixes {
        let edit = TextEdit {
            range: lines.range(fix.start, fix.end, server.enc),
            new_text: fix.text,
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: fix.title,
            kind: Some(CodeActionKind::QUICKFIX),
            is_preferred: Some(fix.preferred),
            edit: Some(WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: server.versions.get(&rel).copied(),
                    },
                    edits: vec![OneOf::Left(edit)],
                }])),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        }));
    }
    ok(out)
}

fn lines_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

#[allow(
    deprecated,
    reason = "DocumentSymbol's `deprecated` field must still be given"
)]
fn document_symbols(server: &Server, p: lsp_types::DocumentSymbolParams) -> Answer {
    let mut out = Vec::new();
    let (Some(ws), Some(rel)) = (server.ws.as_ref(), server.relative(&p.text_document.uri)) else {
        return ok(out);
    };
    let Some(plan) = ws.plan.as_ref() else {
        return ok(out);
    };
    let Some(file) = nav::file_id(plan, &rel) else {
        return ok(out);
    };
    let mut ranges = Ranges::new(ws, server.enc);
    let mut symbol = |name: &str, detail: String, kind, id: Span, fields: Vec<(&str, Span)>| {
        let children: Vec<DocumentSymbol> = fields
            .iter()
            .map(|(field, span)| {
                let range = ranges.range(&rel, Some(*span));
                DocumentSymbol {
                    name: (*field).to_string(),
                    detail: None,
                    kind: SymbolKind::FIELD,
                    tags: None,
                    deprecated: None,
                    range,
                    selection_range: range,
                    children: None,
                }
            })
            .collect();
        let start = fields
            .iter()
            .map(|(_, s)| s.start())
            .chain([id.start()])
            .min();
        let end = fields.iter().map(|(_, s)| s.end()).chain([id.end()]).max();
        let whole = Span::new(
            start.unwrap_or(0),
            end.unwrap_or(0).saturating_sub(start.unwrap_or(0)),
            0,
            0,
        );
        DocumentSymbol {
            name: name.to_string(),
            detail: Some(detail),
            kind,
            tags: None,
            deprecated: None,
            range: ranges.range(&rel, Some(whole)),
            selection_range: ranges.range(&rel, Some(id)),
            children: Some(children),
        }
    };
    for theme in plan.themes.iter().filter(|t| t.file == file) {
        let mut fields = Vec::new();
        fields.extend(theme.title.as_ref().map(|v| ("title", v.span)));
        fields.extend(theme.objective.as_ref().map(|v| ("objective", v.span)));
        fields.extend(theme.status.as_ref().map(|v| ("status", v.span)));
        fields.extend(theme.horizon.as_ref().map(|v| ("horizon", v.span)));
        out.push(symbol(
            &theme.id.value,
            theme.display_title(),
            SymbolKind::NAMESPACE,
            theme.id.span,
            fields,
        ));
    }
    for item in plan.items.iter().filter(|i| i.file == file) {
        let mut fields = Vec::new();
        fields.extend(item.title.as_ref().map(|v| ("title", v.span)));
        fields.extend(item.status.as_ref().map(|v| ("status", v.span)));
        fields.extend(item.theme.as_ref().map(|v| ("theme", v.span)));
        fields.extend(item.parent.as_ref().map(|v| ("parent", v.span)));
        fields.extend(item.sprint.as_ref().map(|v| ("sprint", v.span)));
        fields.extend(item.estimate.as_ref().map(|v| ("estimate", v.span)));
        out.push(symbol(
            &item.id.value,
            item.title_text(),
            SymbolKind::CLASS,
            item.id.span,
            fields,
        ));
    }
    ok(out)
}

#[allow(
    deprecated,
    reason = "SymbolInformation's `deprecated` field must still be given"
)]
fn workspace_symbols(server: &Server, p: lsp_types::WorkspaceSymbolParams) -> Answer {
    let mut out = Vec::new();
    let Some(ws) = server.ws.as_ref() else {
        return ok(out);
    };
    let Some(plan) = ws.plan.as_ref() else {
        return ok(out);
    };
    let query = p.query.to_lowercase();
    let matches = |id: &str, title: &str| {
        query.is_empty()
            || id.to_lowercase().contains(&query)
            || title.to_lowercase().contains(&query)
    };
    let mut ranges = Ranges::new(ws, server.enc);
    let mut add = |name: &str, title: String, kind, file, span| {
        let rel = &plan.file(file).path;
        if let Some(uri) = server.uri(rel) {
            out.push(SymbolInformation {
                name: format!("{name} {title}"),
                kind,
                tags: None,
                deprecated: None,
                location: Location::new(uri, ranges.range(rel, Some(span))),
                container_name: None,
            });
        }
    };
    for t in &plan.themes {
        let title = t.display_title();
        if matches(&t.id.value, &title) {
            add(&t.id.value, title, SymbolKind::NAMESPACE, t.file, t.id.span);
        }
    }
    for i in &plan.items {
        let title = i.title_text();
        if matches(&i.id.value, &title) {
            add(&i.id.value, title, SymbolKind::CLASS, i.file, i.id.span);
        }
    }
    // Enough for a picker; a query narrows it.
    out.truncate(500);
    ok(out)
}

fn inlay_hints(server: &Server, p: lsp_types::InlayHintParams) -> Answer {
    let mut out = Vec::new();
    let (Some(ws), Some(rel)) = (server.ws.as_ref(), server.relative(&p.text_document.uri)) else {
        return ok(out);
    };
    let Some(plan) = ws.plan.as_ref() else {
        return ok(out);
    };
    let Some(file) = nav::file_id(plan, &rel) else {
        return ok(out);
    };
    let Some(text) = ws.text(&rel).map(|t| t.into_owned()) else {
        return ok(out);
    };
    let lines = Lines::new(&text);
    let trace = Trace::new(plan);
    let mut hint = |offset: usize, label: String| {
        out.push(InlayHint {
            position: lines.position(offset, server.enc),
            label: InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    };
    let rollups = crate::progress::theme_rollups(plan, &trace.links);
    for (t, theme) in plan
        .themes
        .iter()
        .enumerate()
        .filter(|(_, t)| t.file == file)
    {
        let (Some(status), Some(rollup)) = (&theme.status, rollups.get(t)) else {
            continue;
        };
        let health = crate::health::health(theme, rollup, ws.today, &plan.config);
        let percent = rollup.fraction().map_or("no work".to_string(), |f| {
            format!("{}%", crate::progress::whole_percent(f))
        });
        hint(
            status.span.end(),
            format!("{percent} · {}", health.as_str()),
        );
    }
    for (i, item) in plan
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.file == file)
    {
        if item.theme.is_none() && trace.theme_of(i).is_some() {
            let at = if item.id_written { &item.id } else { continue };
            hint(at.span.end(), format!("→ {}", nav::chain(plan, &trace, i)));
        }
    }
    ok(out)
}

/// An error's message, and its help on the next line.
fn plain(e: &crate::error::Error) -> String {
    match e.help() {
        Some(help) => format!("{}\nhelp: {help}", e.message()),
        None => e.message(),
    }
}

//! What the server offers to write: completions, renames and quick fixes, each an edit the
//! editor applies.

use lsp_server::ErrorCode;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    PrepareRenameResponse, RenameFile, ResourceOp, TextDocumentEdit, TextEdit, WorkspaceEdit,
};
use serde_json::Value;

use super::{Answer, hit_at, ok, spot};
use crate::lsp::Server;
use crate::lsp::edits::{self, OfferKind};
use crate::lsp::nav;
use crate::lsp::state::Workspace;
use crate::lsp::text::Lines;

pub(super) fn completion(server: &Server, p: lsp_types::CompletionParams) -> Answer {
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
    let line_start = edits::line_start(&spot.text, spot.offset);
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

pub(super) fn prepare_rename(server: &Server, p: lsp_types::TextDocumentPositionParams) -> Answer {
    if server.ws.is_none() {
        return ok(Value::Null);
    }
    let found = hit_at(server, &p.text_document.uri, p.position).map(|(_, _, spot, hit)| {
        let range = Lines::new(&spot.text).range(hit.span.start(), hit.span.end(), server.enc);
        PrepareRenameResponse::RangeWithPlaceholder {
            range,
            placeholder: hit.id,
        }
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
pub(super) fn rename(server: &Server, p: lsp_types::RenameParams) -> Answer {
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
    let overlay = ws.overlay();
    let planned = crate::edit::plan_rename(
        &ws.root,
        &overlay,
        plan.clone(),
        &hit.id,
        &p.new_name,
        ws.today,
    )
    .map_err(|e| refuse(crate::cmd::plain(&e)))?;
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

pub(super) fn code_actions(server: &Server, p: lsp_types::CodeActionParams) -> Answer {
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
                .filter(|f| touches(edits::line_start(&text, f.start), f.end)),
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

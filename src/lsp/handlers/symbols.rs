//! Where things are: the symbols of a file and of the plan, and the hints beside the text.

use lsp_types::{
    DocumentSymbol, InlayHint, InlayHintLabel, Location, SymbolInformation, SymbolKind,
};

use super::{Answer, Ranges, ok, plan_file};
use crate::lsp::Server;
use crate::lsp::nav;
use crate::lsp::text::Lines;
use crate::model::Span;
use crate::trace::Trace;

#[allow(
    deprecated,
    reason = "DocumentSymbol's `deprecated` field must still be given"
)]
pub(super) fn document_symbols(server: &Server, p: lsp_types::DocumentSymbolParams) -> Answer {
    let mut out = Vec::new();
    let Some((ws, plan, rel, file)) = plan_file(server, &p.text_document.uri) else {
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
pub(super) fn workspace_symbols(server: &Server, p: lsp_types::WorkspaceSymbolParams) -> Answer {
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

pub(super) fn inlay_hints(server: &Server, p: lsp_types::InlayHintParams) -> Answer {
    let mut out = Vec::new();
    let Some((ws, plan, rel, file)) = plan_file(server, &p.text_document.uri) else {
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

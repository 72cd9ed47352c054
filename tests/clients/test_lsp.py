"""`roadlog lsp` driven by an independent client: pytest-lsp (pygls), which also checks every
message against the LSP specification. Run by tests/cli/lsp/independent.rs with ROADLOG_BIN
(the built binary) and ROADLOG_PLAN_COPY (a copy of examples/acme it may edit)."""

import os
import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

BIN = os.environ["ROADLOG_BIN"]
PLAN = pathlib.Path(os.environ["ROADLOG_PLAN_COPY"]).resolve()


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[BIN, "--today", "2025-08-15", "--plan", str(PLAN), "lsp"]
    )
)
async def client(lsp_client: LanguageClient):
    # The server asks to watch plan files, as the VS Code capabilities allow; answered as VS
    # Code answers (pytest-lsp's client has no handler of its own).
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        return None

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
            root_uri=PLAN.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=PLAN.as_uri(), name="plan")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def uri(rel: str) -> str:
    return (PLAN / rel).as_uri()


def open_file(client: LanguageClient, rel: str, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(rel), language_id="yaml", version=1, text=text
            )
        )
    )


async def diagnostics_for(client: LanguageClient, rel: str, want) -> list:
    for _ in range(50):
        got = client.diagnostics.get(uri(rel))
        if got is not None and want(got):
            return list(got)
        await client.wait_for_notification("textDocument/publishDiagnostics")
    raise AssertionError(f"no diagnostics for {rel} as wanted: {client.diagnostics.get(uri(rel))}")


@pytest.mark.asyncio
async def test_unsaved_typo_is_diagnosed_and_fixed(client: LanguageClient):
    rel = "backlog/mobile/BL-214.yaml"
    text = (PLAN / rel).read_text()
    open_file(client, rel, text)
    found = await diagnostics_for(
        client, rel, lambda d: any(x.code == "unknown-theme" for x in d)
    )
    typo = next(x for x in found if x.code == "unknown-theme")
    assert typo.source == "roadlog"
    assert typo.range.start == types.Position(line=3, character=7)

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(rel)),
            range=typo.range,
            context=types.CodeActionContext(diagnostics=[typo]),
        )
    )
    assert actions and actions[0].title == "Replace with `mobile-experience`"

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(rel), version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=typo.range, text="mobile-experience"
                )
            ],
        )
    )
    await diagnostics_for(client, rel, lambda d: all(x.code != "unknown-theme" for x in d))
    assert (PLAN / rel).read_text() == text, "the server never writes a buffer"


@pytest.mark.asyncio
async def test_navigation_and_rename(client: LanguageClient):
    rel = "backlog/security/BL-100.yaml"
    open_file(client, rel, (PLAN / rel).read_text())
    where = types.Position(line=3, character=10)
    doc = types.TextDocumentIdentifier(uri=uri(rel))

    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=where)
    )
    assert [d.uri for d in definition] == [uri("roadmap/enterprise-security.yaml")]

    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc,
            position=where,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert uri(rel) in [r.uri for r in refs]

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=where)
    )
    assert "Enterprise Security Enhancement" in hover.contents.value

    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc, position=where, new_name="enterprise-trust")
    )
    renames = [c for c in edit.document_changes if isinstance(c, types.RenameFile)]
    assert [r.new_uri for r in renames] == [uri("roadmap/enterprise-trust.yaml")]

    symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="BL-10"))
    assert any(s.name.startswith("BL-100 ") for s in symbols)

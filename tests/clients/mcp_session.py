"""`roadlog mcp` driven by the official MCP Python SDK's client, against a copy of examples/acme:
list the tools, call each read tool, a dry run that writes nothing, a refused write, and a real
write that `roadlog check` then accepts. Run by tests/cli/mcp.rs with ROADLOG_BIN and
ROADLOG_PLAN_COPY; exits non-zero on the first thing that is not as it should be."""

import asyncio
import os
import pathlib
import subprocess
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

BIN = os.environ["ROADLOG_BIN"]
PLAN = pathlib.Path(os.environ["ROADLOG_PLAN_COPY"]).resolve()
TODAY = ["--today", "2025-08-15"]
READS = ["check", "list", "trace", "progress", "report", "roadmap", "forecast", "diff", "history"]


def text_of(result) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


async def main() -> None:
    server = StdioServerParameters(command=BIN, args=[*TODAY, "--plan", str(PLAN), "mcp"])
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name: t for t in (await session.list_tools()).tools}
            assert set(tools) == set(READS) | {"new_item", "new_theme", "set", "rename"}, sorted(tools)
            for name in READS:
                assert tools[name].annotations.read_only_hint is True, name
                assert tools[name].description, name
            assert tools["set"].annotations.destructive_hint is False
            assert "dry_run" in tools["set"].input_schema["properties"]

            resources = {str(r.uri) for r in (await session.list_resources()).resources}
            assert "roadlog://reports/exec" in resources, sorted(resources)[:5]
            assert "roadlog://plan/items/BL-214" in resources
            theme = await session.read_resource("roadlog://plan/themes/enterprise-security")
            assert theme.contents[0].text == (PLAN / "roadmap/enterprise-security.yaml").read_text()
            exec_report = await session.read_resource("roadlog://reports/exec")
            assert exec_report.contents[0].text.startswith("# "), exec_report.contents[0].text[:80]
            prompts = [p.name for p in (await session.list_prompts()).prompts]
            assert prompts == ["plan-review"], prompts
            review = await session.get_prompt("plan-review")
            assert "check" in review.messages[0].content.text

            check = await session.call_tool("check", {})
            assert not check.is_error, text_of(check)
            rules = [d["rule"] for d in check.structured_content["diagnostics"]]
            assert "unknown-theme" in rules, rules
            cli = subprocess.run(
                [BIN, *TODAY, "--plan", str(PLAN), "check", "--format", "json", "--no-cache"],
                capture_output=True, text=True,
            )
            import json
            assert check.structured_content == json.loads(cli.stdout), "check is the CLI's JSON"

            calls = {
                "list": {"theme": "enterprise-security", "open": True},
                "trace": {"id": "enterprise-security"},
                "progress": {},
                "report": {"audience": "pm"},
                "roadmap": {},
                "forecast": {"defer": ["mobile-experience"]},
            }
            for name, args in calls.items():
                got = await session.call_tool(name, args)
                assert not got.is_error, (name, text_of(got))
                assert got.structured_content is not None, name
            # Not a repository: diff and history say why, as tool errors, and the server goes on.
            for name, args in {"diff": {}, "history": {"every": "month"}}.items():
                got = await session.call_tool(name, args)
                assert got.is_error and "git" in text_of(got).lower(), (name, text_of(got))

            target = PLAN / "backlog/mobile/BL-214.yaml"
            before = target.read_text()
            dry = await session.call_tool(
                "set", {"id": "BL-214", "field": "theme", "value": "mobile-experience", "dry_run": True}
            )
            assert not dry.is_error, text_of(dry)
            assert dry.structured_content["files"][0]["added"] == ["theme: mobile-experience"]
            assert target.read_text() == before, "a dry run writes nothing"

            files_before = sorted(p.name for p in PLAN.rglob("*.yaml"))
            draft = await session.call_tool(
                "new_item",
                {"title": "Offline mode", "theme": "mobile-experience", "estimate": 5, "dry_run": True},
            )
            assert not draft.is_error, text_of(draft)
            assert "title: Offline mode" in draft.structured_content["files"][0]["added"]
            assert sorted(p.name for p in PLAN.rglob("*.yaml")) == files_before

            refused = await session.call_tool(
                "set", {"id": "BL-214", "field": "parent", "value": "BL-999"}
            )
            assert refused.is_error and "BL-999" in text_of(refused), text_of(refused)
            assert refused.structured_content["code"] == "unknown-id", refused.structured_content
            assert target.read_text() == before

            bad = await session.call_tool("trace", {"identifier": "x"})
            assert bad.is_error, "an unknown field is refused"

            done = await session.call_tool(
                "set", {"id": "BL-214", "field": "theme", "value": "mobile-experience"}
            )
            assert not done.is_error, text_of(done)
            assert "theme: mobile-experience" in target.read_text()
            after = await session.call_tool("check", {"severity": "error"})
            rules = [d["rule"] for d in after.structured_content["diagnostics"]]
            assert "unknown-theme" not in rules, rules
    print("mcp session: all checks passed")


asyncio.run(main())

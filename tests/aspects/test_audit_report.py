"""The report files: JSON, Markdown and a self-contained HTML page with an SVG graph."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from eventguard.aspects.engine import audit_templates
from eventguard.aspects.report import STATUS_COLORS, svg_graph, write_reports

SVG = "{http://www.w3.org/2000/svg}"


def app(t):
    """A guarded function behind a queue, a plain one behind a topic, one unresolvable mapping."""
    plain = t.plain_function()
    plain["Metadata"]["aws:cdk:path"] = "S/Plain/Resource"
    topic = {"Type": "AWS::SNS::Topic"}
    sub = {
        "Type": "AWS::SNS::Subscription",
        "Properties": {
            "Protocol": "lambda",
            "Endpoint": {"Fn::GetAtt": ["Plain", "Arn"]},
            "TopicArn": {"Ref": "Topic"},
        },
    }
    lost = t.esm({"Ref": "Param"})
    doc = t.base(
        Mapping=t.esm(FunctionResponseTypes=["ReportBatchItemFailures"]),
        Plain=plain,
        Topic=topic,
        Sub=sub,
        Lost=lost,
    )
    doc["Parameters"] = {"Param": {"Type": "String"}}
    return audit_templates({"S": doc})


def test_graph_draws_entry_points_functions_and_colored_edges(t):
    report = app(t).to_dict()
    root = ET.fromstring(svg_graph(report))
    nodes = {g.get("data-id"): g for g in root.iter(f"{SVG}g")}
    entries = {k: g for k, g in nodes.items() if "entry" in g.get("class")}
    functions = {k: g for k, g in nodes.items() if "function" in g.get("class")}
    assert set(entries) == {"S/Mapping", "S/Sub", "S/Lost"}
    assert {"S/Fn", "S/Plain", "unresolved:S/Lost"} <= set(functions)
    fill = lambda g: g.find(f"{SVG}rect").get("fill")  # noqa: E731
    assert fill(functions["S/Fn"]) == STATUS_COLORS["guarded"]
    assert fill(functions["S/Plain"]) == STATUS_COLORS["unguarded"]
    assert fill(entries["S/Lost"]) == STATUS_COLORS["unresolved"]
    edges = {
        (e.get("data-from"), e.get("data-to")): e.get("stroke") for e in root.iter(f"{SVG}path")
    }
    assert edges == {
        ("S/Mapping", "S/Fn"): STATUS_COLORS["guarded"],
        ("S/Sub", "S/Plain"): STATUS_COLORS["unguarded"],
        ("S/Lost", "unresolved:S/Lost"): STATUS_COLORS["unresolved"],
    }
    # entry points sit left of functions
    xs = lambda group: {float(g.find(f"{SVG}rect").get("x")) for g in group.values()}  # noqa: E731
    assert max(xs(entries)) < min(xs(functions))


def test_report_files_are_written_and_self_contained(t, tmp_path):
    paths = write_reports(app(t), str(tmp_path))
    assert sorted(p.rsplit(".", 1)[1] for p in paths) == ["html", "json", "md"]
    data = json.loads((tmp_path / "eventguard-report.json").read_text())
    assert {"findings", "entry_points", "functions", "summary"} <= set(data)
    page = (tmp_path / "eventguard-report.html").read_text()
    assert "<svg" in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "<script" not in page and "https://" not in page
    markdown = (tmp_path / "eventguard-report.md").read_text()
    assert (
        "| sqs | S/Mapping | S/Fn/SqsEventSource/Resource | S/Fn/Resource | guarded |" in markdown
    )
    assert "EventGuard-UnguardedEntryPoint" in markdown


def test_html_escapes_construct_paths(t, tmp_path):
    doc = t.base(t.plain_function(), Mapping=t.esm())
    doc["Resources"]["Mapping"]["Metadata"]["aws:cdk:path"] = "S/<script>alert(1)</script>"
    write_reports(audit_templates({"S": doc}), str(tmp_path))
    assert "<script>alert(1)" not in (tmp_path / "eventguard-report.html").read_text()

"""Audit reports: ``eventguard-report.json``, ``.md`` and ``.html``, written next to the templates.

The HTML is self-contained (inline CSS, no script, no CDN) and draws the app as an SVG graph
generated here: entry points on the left, functions on the right, one edge per entry point,
colored by status. Every node and edge carries ``data-*`` attributes (id, status) so the drawing
can be checked by parsing it.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

REPORT_BASENAME = "eventguard-report"
STATUS_COLORS: Mapping[str, str] = {
    "guarded": "#2e7d32",
    "unguarded": "#c62828",
    "unresolved": "#ef6c00",
    "cdk-helper": "#757575",
    "no-entry-point": "#90a4ae",
}
NODE_W, NODE_H, GAP, LEFT_X, RIGHT_X, MARGIN = 330, 26, 8, 10, 560, 30


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _short(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def svg_graph(report: Mapping[str, Any]) -> str:
    """The app as an SVG graph: entry points (left) -> functions (right), colored by status."""
    entries: dict[str, dict[str, Any]] = {}
    functions: dict[str, dict[str, Any]] = {}
    edges: list[tuple[str, str, str]] = []
    for fn in report["functions"]:
        key = f"{fn['stack']}/{fn['function']}"
        status = "guarded" if fn["guarded"] else "unguarded"
        if fn["cdk_helper"]:
            status = "cdk-helper"
        elif not fn["entry_points"]:
            status = "no-entry-point" if not fn["guarded"] else "guarded"
        functions[key] = {"label": fn["path"], "status": status}
    for point in report["entry_points"]:
        entry_key = f"{point['stack']}/{point['resource']}"
        status = point["status"]
        previous = entries.get(entry_key)
        rank = ("guarded", "cdk-helper", "unresolved", "unguarded")
        if previous is None or rank.index(status) > rank.index(previous["status"]):
            entries[entry_key] = {
                "label": f"{point['source_type']}: {point['path']}",
                "status": status,
            }
        if point["function"]:
            target = f"{point['function_stack']}/{point['function']}"
        else:
            target = f"unresolved:{entry_key}"
            functions[target] = {"label": f"? {point['unresolved']}", "status": "unresolved"}
        edges.append((entry_key, target, status))
    left = {key: MARGIN + i * (NODE_H + GAP) for i, key in enumerate(entries)}
    right = {key: MARGIN + i * (NODE_H + GAP) for i, key in enumerate(functions)}
    height = MARGIN * 2 + max(len(left), len(right), 1) * (NODE_H + GAP)
    width = RIGHT_X + NODE_W + LEFT_X
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="eventguard-graph" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="entry points and the functions they reach">',
        f'<text x="{LEFT_X}" y="18" class="heading">Entry points</text>',
        f'<text x="{RIGHT_X}" y="18" class="heading">Functions</text>',
    ]
    for source, target, status in edges:
        y1 = left[source] + NODE_H / 2
        y2 = right[target] + NODE_H / 2
        x1, x2 = LEFT_X + NODE_W, RIGHT_X
        mid = (x1 + x2) / 2
        parts.append(
            f'<path class="edge" data-from="{_esc(source)}" data-to="{_esc(target)}" '
            f'data-status="{status}" d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" '
            f'fill="none" stroke="{STATUS_COLORS[status]}" stroke-width="1.5"/>'
        )
    for side, nodes, positions, x in (
        ("entry", entries, left, LEFT_X),
        ("function", functions, right, RIGHT_X),
    ):
        for key, node in nodes.items():
            y = positions[key]
            color = STATUS_COLORS[node["status"]]
            parts.append(
                f'<g class="node {side}" data-id="{_esc(key)}" data-status="{node["status"]}">'
                f"<title>{_esc(node['label'])} ({node['status']})</title>"
                f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="4" '
                f'fill="{color}"/>'
                f'<text x="{x + 8}" y="{y + 17}" fill="#ffffff">'
                f"{_esc(_short(node['label']))}</text>"
                "</g>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _md_cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Mapping[str, Any]) -> str:
    """The report as Markdown: summary, inventory, findings, functions."""
    s = report["summary"]
    lines = [
        "# eventguard audit",
        "",
        f"{s['stacks']} stack(s), {s['functions']} function(s), {s['entry_points']} entry "
        f"point(s), {s['unguarded_entry_points']} not guarded; {s['errors']} error(s), "
        f"{s['warnings']} warning(s), {s['suppressed']} suppressed.",
        "",
        "## Entry points",
        "",
        "| source type | entry point | construct path | function | guarded | rules passed "
        "| rules failed |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in report["entry_points"]:
        function = p["function_path"] or f"? {p['unresolved']}"
        lines.append(
            "| "
            + " | ".join(
                _md_cell(v)
                for v in (
                    p["source_type"],
                    f"{p['stack']}/{p['resource']}",
                    p["path"],
                    function,
                    p["status"],
                    ", ".join(p["rules_passed"]),
                    ", ".join(p["rules_failed"]),
                )
            )
            + " |"
        )
    lines += [
        "",
        "## Findings",
        "",
        "| level | rule | construct path | message |",
        "|---|---|---|---|",
    ]
    for f in report["findings"]:
        level = f"suppressed ({f['suppression_reason']})" if f["suppressed"] else f["level"]
        lines.append(
            f"| {_md_cell(level)} | {f['rule']} | {_md_cell(f['path'])} "
            f"| {_md_cell(f['message'])} |"
        )
    unused = report.get("unused_suppressions") or []
    if unused:
        lines += ["", "## Unused suppressions", ""]
        lines += [
            f"- {u['rule']} (detail {u['detail']!r}) on {', '.join(u['paths'])}: matched no finding"
            for u in unused
        ]
    lines += ["", "## Functions", "", "| function | guarded | mode | entry points | rules failed |"]
    lines.append("|---|---|---|---|---|")
    for fn in report["functions"]:
        mode = (fn.get("policy") or {}).get("mode", "") if fn.get("policy") else ""
        state = "cdk helper" if fn["cdk_helper"] else ("yes" if fn["guarded"] else "no")
        lines.append(
            f"| {_md_cell(fn['path'])} | {state} | {mode} | {fn['entry_points']} | "
            f"{', '.join(fn['rules_failed'])} |"
        )
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#212121}
table{border-collapse:collapse;margin:12px 0;font-size:13px}
td,th{border:1px solid #cfd8dc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eceff1}.error{color:#c62828;font-weight:600}.warning{color:#ef6c00}
.suppressed{color:#757575}.graph{overflow:auto;border:1px solid #cfd8dc;padding:8px}
svg text{font-size:11px;font-family:ui-monospace,monospace}svg .heading{font-size:14px;fill:#212121}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;color:#fff;border-radius:4px}
pre{background:#f5f5f5;padding:8px;font-size:12px;max-width:900px;overflow:auto}
"""


def _rows(rows: Sequence[Sequence[str]]) -> str:
    return "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)


def to_html(report: Mapping[str, Any]) -> str:
    """A self-contained HTML page: summary, the SVG graph, inventory, findings, policies."""
    s = report["summary"]
    legend = "".join(
        f'<span style="background:{color}">{status}</span>'
        for status, color in STATUS_COLORS.items()
    )
    entry_rows = [
        (
            _esc(p["source_type"]),
            _esc(p["path"]),
            _esc(p["function_path"] or f"? {p['unresolved']}"),
            f'<span style="color:{STATUS_COLORS[p["status"]]}">{_esc(p["status"])}</span>',
            _esc(", ".join(p["rules_passed"])),
            _esc(", ".join(p["rules_failed"])),
        )
        for p in report["entry_points"]
    ]
    finding_rows = [
        (
            f'<span class="{"suppressed" if f["suppressed"] else f["level"]}">'
            f"{'suppressed' if f['suppressed'] else _esc(f['level'])}</span>",
            _esc(f["rule"]),
            _esc(f["path"]),
            _esc(f["message"])
            + (f"<br><i>reason: {_esc(f['suppression_reason'])}</i>" if f["suppressed"] else ""),
        )
        for f in report["findings"]
    ]
    function_rows = [
        (
            _esc(fn["path"]),
            "cdk helper" if fn["cdk_helper"] else ("yes" if fn["guarded"] else "no"),
            str(fn["entry_points"]),
            (
                f"<details><summary>{_esc((fn['policy'] or {}).get('mode', ''))}</summary>"
                f"<pre>{_esc(json.dumps(fn['policy'], indent=2))}</pre></details>"
            )
            if fn.get("policy")
            else _esc(fn.get("policy_error") or ""),
        )
        for fn in report["functions"]
    ]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>eventguard audit</title>
<style>{_CSS}</style></head><body>
<h1>eventguard audit</h1>
<p>{s["stacks"]} stack(s), {s["functions"]} function(s), {s["entry_points"]} entry point(s),
<b>{s["unguarded_entry_points"]} not guarded</b>; <span class="error">{s["errors"]} error(s)</span>,
<span class="warning">{s["warnings"]} warning(s)</span>, {s["suppressed"]} suppressed.</p>
<h2>Entry points and functions</h2><p class="legend">{legend}</p>
<div class="graph">{svg_graph(report)}</div>
<h2>Entry points</h2>
<table><tr><th>source type</th><th>entry point</th><th>function</th><th>status</th>
<th>rules passed</th><th>rules failed</th></tr>{_rows(entry_rows)}</table>
<h2>Findings</h2>
<table><tr><th>level</th><th>rule</th><th>construct path</th><th>message</th></tr>
{_rows(finding_rows)}</table>
<h2>Functions and effective policies</h2>
<table><tr><th>function</th><th>guarded</th><th>entry points</th><th>policy</th></tr>
{_rows(function_rows)}</table>
</body></html>
"""


def write_reports(report: Any, directory: str) -> list[str]:
    """Write ``eventguard-report.{json,md,html}`` into ``directory``; return their paths."""
    data = report.to_dict() if hasattr(report, "to_dict") else report
    outputs = {
        "json": json.dumps(data, indent=2, default=str),
        "md": to_markdown(data),
        "html": to_html(data),
    }
    paths = []
    for ext, text in outputs.items():
        path = os.path.join(directory, f"{REPORT_BASENAME}.{ext}")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        paths.append(path)
    return paths

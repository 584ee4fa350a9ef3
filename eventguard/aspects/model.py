"""The synthesized app as plain data: templates, resources and cross-stack exports.

The audit reads CloudFormation exactly as it was synthesized (or written by hand, or produced by
a SAM transform), never CDK's in-memory construct tree: what is checked is what gets deployed.
``Assembly`` holds every template of an app, nested stacks included, so that references across
stacks (``Fn::ImportValue``), into nested stacks (``Outputs.X``) and out of them (parameters
passed by the parent) can be followed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

PATH_KEY = "aws:cdk:path"
SUPPRESSIONS_KEY = "eventguard:suppressions"
PUBLIC_KEY = "eventguard:public"
SECURE_FUNCTION_KEY = "eventguard:secure-function"
NAG_SUPPRESSIONS_KEY = "cdk_nag"


@dataclass(eq=False)
class Resource:
    """One resource of a template: its logical id, type, properties and metadata."""

    logical_id: str
    type: str
    properties: Mapping[str, Any]
    metadata: Mapping[str, Any]
    template: Template
    raw: Mapping[str, Any]

    @property
    def path(self) -> str:
        """The construct path from ``aws:cdk:path`` metadata, else ``stack/logical id``."""
        path = self.metadata.get(PATH_KEY)
        return path if isinstance(path, str) and path else f"{self.template.name}/{self.logical_id}"

    @property
    def key(self) -> str:
        """A key unique in the assembly: the template name and the logical id."""
        return f"{self.template.name}/{self.logical_id}"

    def prop(self, *names: str, default: Any = None) -> Any:
        """A nested property by key path, or ``default`` when any step is missing."""
        value: Any = self.properties
        for name in names:
            if not isinstance(value, Mapping) or name not in value:
                return default
            value = value[name]
        return value

    def __repr__(self) -> str:
        return f"<Resource {self.key} {self.type}>"


@dataclass(eq=False)
class Template:
    """One CloudFormation template of the assembly, with a link to its parent when nested."""

    name: str
    doc: Mapping[str, Any]
    file: str = ""
    assembly: Assembly | None = None
    parent: Resource | None = None  # the AWS::CloudFormation::Stack resource in the parent
    resources: dict[str, Resource] = field(default_factory=dict)

    def __post_init__(self) -> None:
        raw_resources = self.doc.get("Resources")
        if not isinstance(raw_resources, Mapping):
            raw_resources = {}
        for logical_id, raw in raw_resources.items():
            if not isinstance(raw, Mapping):
                raw = {}
            props = raw.get("Properties")
            meta = raw.get("Metadata")
            self.resources[str(logical_id)] = Resource(
                logical_id=str(logical_id),
                type=str(raw.get("Type", "")),
                properties=props if isinstance(props, Mapping) else {},
                metadata=meta if isinstance(meta, Mapping) else {},
                template=self,
                raw=raw,
            )

    def get(self, logical_id: Any) -> Resource | None:
        return self.resources.get(logical_id) if isinstance(logical_id, str) else None

    def of_type(self, *types: str) -> Iterator[Resource]:
        for resource in self.resources.values():
            if resource.type in types:
                yield resource

    @property
    def parameters(self) -> Mapping[str, Any]:
        params = self.doc.get("Parameters")
        return params if isinstance(params, Mapping) else {}

    @property
    def outputs(self) -> Mapping[str, Any]:
        outputs = self.doc.get("Outputs")
        return outputs if isinstance(outputs, Mapping) else {}

    @property
    def app(self) -> Assembly:
        if self.assembly is None:  # a template used on its own is an assembly of one
            Assembly([self])
        assert self.assembly is not None
        return self.assembly


class Assembly:
    """All templates of an app; computes the cross-stack indexes once."""

    def __init__(self, templates: list[Template]) -> None:
        self.templates = templates
        for template in templates:
            template.assembly = self
        self.cache: dict[str, Any] = {}

    @classmethod
    def from_templates(cls, docs: Mapping[str, Mapping[str, Any]]) -> Assembly:
        """An assembly from template dicts keyed by stack name (for tests and adapters)."""
        return cls([Template(name=name, doc=doc) for name, doc in docs.items()])

    def resources(self) -> Iterator[Resource]:
        for template in self.templates:
            yield from template.resources.values()

    def nested_template(self, stack_resource: Resource) -> Template | None:
        """The template of a nested stack resource, when the assembly holds it."""
        for template in self.templates:
            if template.parent is stack_resource:
                return template
        return None


def load_template_file(path: str) -> Mapping[str, Any]:
    """A template from a JSON file; a YAML template is refused with a clear message."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{path}: not a JSON CloudFormation template ({exc})") from None
    if not isinstance(doc, Mapping):
        raise ValueError(f"{path}: a template must be a JSON object")
    return doc


def _add_with_nested(
    templates: list[Template], name: str, path: str, parent: Resource | None, seen: set[str]
) -> None:
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    template = Template(name=name, doc=load_template_file(path), file=path, parent=parent)
    templates.append(template)
    base = os.path.dirname(path)
    for resource in template.of_type("AWS::CloudFormation::Stack"):
        asset = resource.metadata.get("aws:asset:path")
        if isinstance(asset, str) and asset.endswith(".json"):
            nested_path = os.path.join(base, asset)
            if os.path.isfile(nested_path):
                nested_name = (
                    resource.path.rsplit("/", 1)[0] if PATH_KEY in resource.metadata else ""
                )
                _add_with_nested(
                    templates,
                    nested_name or f"{name}/{resource.logical_id}",
                    nested_path,
                    resource,
                    seen,
                )


def _manifest_stacks(directory: str) -> Iterator[tuple[str, str]]:
    """(stack name, template path) for every stack of a cloud assembly, stages included."""
    manifest_path = os.path.join(directory, "manifest.json")
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    for artifact_id, artifact in (manifest.get("artifacts") or {}).items():
        kind = artifact.get("type")
        props = artifact.get("properties") or {}
        if kind == "aws:cloudformation:stack" and props.get("templateFile"):
            name = artifact.get("displayName") or artifact_id
            yield name, os.path.join(directory, props["templateFile"])
        elif kind == "cdk:cloud-assembly" and props.get("directoryName"):
            sub = os.path.join(directory, props["directoryName"])
            if os.path.isfile(os.path.join(sub, "manifest.json")):
                yield from _manifest_stacks(sub)


def load(path: str) -> Assembly:
    """Every template of a cdk.out directory (via manifest.json) or one template file."""
    templates: list[Template] = []
    seen: set[str] = set()
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, "manifest.json")):
            for name, template_path in _manifest_stacks(path):
                _add_with_nested(templates, name, template_path, None, seen)
        else:
            for entry in sorted(os.listdir(path)):
                if entry.endswith(".template.json") and not entry.endswith(".nested.template.json"):
                    _add_with_nested(
                        templates,
                        entry.removesuffix(".template.json"),
                        os.path.join(path, entry),
                        None,
                        seen,
                    )
        if not templates:
            raise ValueError(f"{path}: no CloudFormation template found (no manifest.json stacks)")
    else:
        name = os.path.basename(path).split(".")[0]
        _add_with_nested(templates, name, path, None, seen)
    return Assembly(templates)


def load_paths(paths: list[str]) -> Assembly:
    """The templates the CDK hands a validation plugin, nested stacks followed."""
    templates: list[Template] = []
    seen: set[str] = set()
    # nested templates are reached through their parents, so that their parameters resolve
    for path in sorted(paths, key=lambda p: p.endswith(".nested.template.json")):
        name = os.path.basename(path).removesuffix(".json").removesuffix(".template")
        _add_with_nested(templates, name, path, None, seen)
    return Assembly(templates)

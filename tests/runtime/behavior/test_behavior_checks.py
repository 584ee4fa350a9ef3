"""The concern checks called directly (no hook is installed in this process): the registry's
contract, the decisions on typical arguments, and no exception on odd ones."""

from __future__ import annotations

import os
from typing import Any

import pytest

from eventguard.runtime import behavior
from eventguard.runtime.behavior import code, egress, files, native, process, tamper, unpickle
from eventguard.runtime.behavior.rules import Rules, compile_rules
from eventguard.runtime.errors import PolicyError
from eventguard.runtime.taint import Taint

ENV = {"AWS_REGION": "eu-west-1", "LAMBDA_TASK_ROOT": "/var/task"}


def rules(doc: dict[str, Any] | None = None, event: Any = None, mode: str = "block") -> Rules:
    taint = Taint()
    if event is not None:
        taint.begin(event)
    return compile_rules(doc or {}, mode=mode, taint=taint, environ=ENV)


def test_every_concern_declares_id_events_and_check() -> None:
    ids = [m.ID for m in behavior.CONCERNS]
    assert len(ids) == len(set(ids))
    for module in behavior.CONCERNS:
        assert module.EVENTS and all(isinstance(e, str) for e in module.EVENTS)
        assert callable(module.check)
        assert module.__doc__ and len(module.__doc__) > 80


def test_table_dispatches_each_event_once_and_drops_allowed_concerns() -> None:
    full = behavior.table(rules())
    assert set(full) == {e for m in behavior.CONCERNS for e in m.EVENTS}
    partial = behavior.table(rules({"levels": {"native": "allow", "unpickle": "allow"}}))
    assert "ctypes.dlopen" not in partial and "pickle.find_class" not in partial
    # a taint sink stays dispatched while taint is on, even when its concern is allowed
    assert "compile" in behavior.table(rules({"levels": {"code": "allow"}}))
    assert "compile" not in behavior.table(rules({"levels": {"code": "allow", "taint": "allow"}}))


def test_alert_mode_turns_block_into_alert() -> None:
    compiled = rules({"levels": {"egress": "allow"}}, mode="alert")
    assert compiled.level("files") == "alert" and compiled.level("egress") == "allow"


@pytest.mark.parametrize(
    "doc",
    [
        {"nope": 1},
        {"levels": {"files": "deny"}},
        {"egress": {"cidrs": ["10.0.0.0/33"]}},
        {"egress": {"hosts": "a.com"}},
        {"files": {"writable": [1]}},
    ],
)
def test_rejects_malformed_behavior_sections(doc: dict[str, Any]) -> None:
    with pytest.raises(PolicyError):
        rules(doc)


@pytest.mark.parametrize(
    "host",
    [
        "169.254.169.254",
        "0xa9fea9fe",
        "2852039166",
        "0251.0376.0251.0376",
        "169.254.43518",
        "::ffff:169.254.169.254",
        "[fd00:ec2::254]",
        "fe80::1%eth0",
    ],
)
def test_blocks_metadata_and_link_local_in_every_spelling(host: str) -> None:
    found = egress.check("socket.getaddrinfo", (host, 80, 0, 0, 0), rules())
    assert found is not None and "metadata" in found.reason


def test_egress_allows_declared_hosts_domains_cidrs_and_granted_aws_services() -> None:
    compiled = rules(
        {
            "egress": {
                "hosts": ["api.example.com"],
                "domains": ["example.org"],
                "cidrs": ["10.0.0.0/8"],
                "aws_services": ["dynamodb"],
            }
        }
    )
    for host in [
        "api.example.com",
        "a.b.example.org",
        "example.org",
        "10.1.2.3",
        "dynamodb.eu-west-1.amazonaws.com",
        "sqs.eu-west-1.amazonaws.com",
        "secretsmanager.eu-west-1.amazonaws.com",
    ]:
        assert egress.check("socket.getaddrinfo", (host, 443, 0, 0, 0), compiled) is None, host
    for host in [
        "www.example.com",
        "badexample.org",
        "11.0.0.1",
        "s3.eu-west-1.amazonaws.com",
        "dynamodb.eu-west-1.amazonaws.com.evil.net",
    ]:
        assert egress.check("socket.getaddrinfo", (host, 443, 0, 0, 0), compiled) is not None


def test_egress_taint_marks_a_host_from_the_event() -> None:
    compiled = rules(event={"url": "https://attacker.example.net/x"})
    found = egress.check("socket.getaddrinfo", ("attacker.example.net", 443), compiled)
    assert found is not None and found.taint
    found = egress.check("socket.getaddrinfo", ("other.example.net", 443), compiled)
    assert found is not None and not found.taint


def test_process_taint_in_shell_lines_executables_and_options() -> None:
    compiled = rules(
        {"process": {"executables": ["convert", "/bin/sh"]}},
        event={"file": "a.png; id", "opt": "--output=/etc/x"},
    )
    shell = ("/bin/sh", ["/bin/sh", "-c", "convert a.png; id"], None, None)
    assert process.check("subprocess.Popen", shell, compiled).taint  # type: ignore[union-attr]
    option = (None, ["convert", "--output=/etc/x", "b.png"], None, None)
    assert process.check("subprocess.Popen", option, compiled).taint  # type: ignore[union-attr]
    plain = (None, ["convert", "in.png", "out.png"], None, None)
    assert process.check("subprocess.Popen", plain, compiled) is None
    assert process.check("os.system", (b"convert a.png; id",), compiled).taint  # type: ignore[union-attr]
    assert process.check("os.exec", ("/tmp/convert", ["convert"], {}), compiled) is not None


def test_files_decisions() -> None:
    compiled = rules(
        {"files": {"writable": ["/tmp"], "readable": ["templates"]}},
        event={"name": "../../var/task/app.py", "abs": "/etc/passwd"},
    )
    write = os.O_WRONLY | os.O_CREAT
    assert files.check("open", ("/tmp/out.txt", "w", write), compiled) is None
    assert files.check("open", ("/etc/out.txt", "w", write), compiled) is not None
    assert files.check("open", ("/proc/self/environ", "rb", 0), compiled) is not None
    assert files.check("open", ("/proc/1/mem", "rb", 0), compiled) is not None
    assert files.check("open", ("/var/task/templates/a.html", "r", 0), compiled) is None
    assert files.check("open", ("/var/task/app.py", "r", 0), compiled) is not None
    escape = files.check("open", ("/tmp/uploads/../../var/task/app.py", "r", 0), compiled)
    assert escape is not None and escape.taint
    assert files.check("open", ("/etc/passwd", "r", 0), compiled).taint  # type: ignore[union-attr]
    assert files.check("os.rename", ("/tmp/a", "/etc/b", -1, -1), compiled) is not None
    assert files.check("os.remove", ("/tmp/a", -1), compiled) is None


def test_code_checks_dynamic_sources_only() -> None:
    compiled = rules(event={"formula": "__import__('os').system('id')"})
    assert code.check("compile", (b"x = __import__('os').system('id')", "<string>"), compiled)
    assert (
        code.check("compile", (b"x = __import__('os').system('id')", "/var/task/m.py"), compiled)
        is None
    )
    assert code.check("compile", (b"1 + 1", "<string>"), compiled) is None


def test_unpickle_allow_list() -> None:
    compiled = rules({"unpickle": {"classes": ["myapp.models.Order", "shop.*"]}})
    for module, name in [("myapp.models", "Order"), ("shop", "Cart"), ("datetime", "datetime")]:
        assert unpickle.check("pickle.find_class", (module, name), compiled) is None
    assert unpickle.check("pickle.find_class", ("posix", "system"), compiled) is not None
    assert unpickle.check("pickle.find_class", ("builtins", "eval"), compiled) is not None


ODD: list[tuple[Any, ...]] = [
    (),
    (None,),
    (None, None, None, None),
    (object(), object()),
    (1, 2, 3, 4, 5),
    (b"\xff\xfe", b"\x00", -1),
    ("", "", ""),
    ((), (), ()),
    ([None], {"a": 1}),
    (os, ("h",), 1),
    (None, ("\udcff", "x")),
    (None, (b"\xff", 1)),
]


@pytest.mark.parametrize("args", ODD, ids=range(len(ODD)))
def test_odd_arguments_never_raise(args: tuple[Any, ...]) -> None:
    compiled = rules(event={"a": "../../etc/passwd", "b": "x; rm -rf /"})
    for module in (egress, process, files, code, native, unpickle, tamper):
        for event in module.EVENTS:
            module.check(event, args, compiled)  # a Violation or None; never an exception


def test_platform_endpoints_are_allowed_by_name_and_address() -> None:
    env = {
        **ENV,
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
        "AWS_ENDPOINT_URL_SQS": "http://localhost:4566",
    }
    compiled = compile_rules({}, mode="block", taint=Taint(), environ=env)
    sock = object()
    assert egress.check("socket.connect", (sock, ("127.0.0.1", 9001)), compiled) is None
    assert egress.check("socket.getaddrinfo", ("localhost", 4566, 0, 0, 0), compiled) is None
    assert egress.check("socket.connect", (sock, ("127.0.0.2", 80)), rules()) is not None

"""The ``eventguard`` command: ``inspect``, ``scan``, ``audit`` and ``invoke``.

Each subcommand is a module of ``eventguard.commands`` with ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``, registered in ``COMMANDS``. None imports aws_cdk: the commands read
JSON and start in a fraction of a second.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMANDS = {
    "inspect": "eventguard.commands.inspect_event",
    "scan": "eventguard.commands.scan",
    "audit": "eventguard.commands.audit",
    "invoke": "eventguard.commands.invoke",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eventguard", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = {}
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        modules[name] = module
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        command.add_argument("--json", action="store_true", help="print JSON")
        module.add_arguments(command)
    args = parser.parse_args(argv)
    return int(modules[args.command].run(args))


if __name__ == "__main__":
    sys.exit(main())

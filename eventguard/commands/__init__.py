"""Subcommands of the ``eventguard`` command line, one module each (see ``eventguard.cli``)."""

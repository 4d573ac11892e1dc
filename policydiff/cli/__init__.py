"""The ``policydiff`` command: thin click wrappers over the library; errors exit 2 with one line.

``base`` holds the group and the error handling; each other module adds its commands to it.
"""

from __future__ import annotations

from policydiff.cli import compare, inspect, store, targets, watch
from policydiff.cli.base import EXIT_ERROR, fail, handle_errors, main
from policydiff.corpus.cli import COMMANDS as CORPUS_COMMANDS

__all__ = ["EXIT_ERROR", "fail", "handle_errors", "main"]
__commands__ = (compare, inspect, store, targets, watch)  # imported for their @main.command side effect

for _command in CORPUS_COMMANDS:  # corpus mode's commands live in their package (policydiff/corpus/cli.py)
    _command.callback = handle_errors(_command.callback) if _command.callback else None
    main.add_command(_command)

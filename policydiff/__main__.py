"""``python -m policydiff``: the same as the ``policydiff`` command."""

from policydiff.cli import main

main()

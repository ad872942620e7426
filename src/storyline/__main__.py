"""``python -m storyline``: the same as the ``storyline`` command."""

from storyline.cli import main

main()

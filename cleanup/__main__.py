"""``python -m cleanup``."""

from cleanup.command import main

main()

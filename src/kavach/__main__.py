"""``python -m kavach`` runs the command line."""

from kavach.cli.app import main

main()

"""Allow `python -m chatdata`."""

from chatdata.cli import app

app()

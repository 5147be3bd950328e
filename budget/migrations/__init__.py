"""Alembic migrations, applied in code when a database is opened.

HEAD_REVISION lets an up-to-date database open without importing Alembic at
all (start-up time matters for the TUI); a test checks it equals the script head.
"""

HEAD_REVISION = "0012"

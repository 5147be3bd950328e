"""budget — the domain core of the commune campaign budgeting tool.

Pure Python, SQLAlchemy and openpyxl. Never imports textual or rich.
"""

__version__ = "0.1.0"

"""Excel in the Vietnamese administrative layout: exports (openpyxl, write-only,
shared named styles) and imports (validated, all or nothing).

openpyxl is imported only here, so commands that don't touch Excel never load it.
"""

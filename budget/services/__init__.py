"""Services: plain functions ``fn(session, ...) -> frozen result``.

The caller owns the unit of work (``with session.begin():``); a service never
commits and never opens a session of its own.
"""

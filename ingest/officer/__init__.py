"""Officer files: stock and price reports and office price tables, in any real layout.

``tables`` (reading) -> ``layout`` (header, units, footers) -> ``columns`` (what each column
holds) -> ``sheet`` (rows to facts) -> ``parse`` (every sheet accounted for) -> ``importer``
(validate and load; ``stream`` for long CSV histories, ``rules`` for the row rules)
-> ``cli`` (``python -m ingest file``).
"""

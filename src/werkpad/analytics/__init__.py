"""Management information as pure functions over pandas DataFrames.

Nothing here touches the database or the web: the input is a
:class:`werkpad.analytics.snapshot.Snapshot` (pseudonymised: no BSN, no names), filled by
``werkpad.services.snapshot``, so every figure can be tested
with a hand-built frame and recomputed by anyone who has the same extract.
"""

"""Management information as pure functions over pandas DataFrames.

Nothing here touches the database or the web: the frames come from
``werkpad.services.snapshot`` (pseudonymised: no BSN, no names), so every figure can be tested
with a hand-built frame and recomputed by anyone who has the same extract.
"""

"""Effectiveness evaluation: does a provision or route type help people into work?

Pure functions over pandas DataFrames; no database or web imports. See docs/effects.md.
"""

from werkpad.analytics.effects.estimate import EffectEstimate, estimate_effect

__all__ = ["EffectEstimate", "estimate_effect"]

"""Explainable matching of referred candidates and vacancies (issue 7).

Hard filters (hours, travel radius, driving licence, restrictions) first, then a weighted score
whose every criterion is shown in plain Dutch. ``score`` is the vectorised engine,
``reference`` the per-pair definition it must agree with, ``explain`` the Dutch texts, and
``store`` the only module that talks to the database.
"""

"""Application services: the use cases (intake, diagnose, plan, match, place, import...).

Services take a SQLAlchemy session from the caller (web or CLI), validate with the domain
rules, and raise ``ValidationFailed`` before anything is written.
"""

"""Published output of the KPI set: ``werkpad kpi`` and the council report (HTML and PDF)."""

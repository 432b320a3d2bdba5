"""CertReady's domain: frameworks, profiles, scoring, exclusion risks and cohort statistics.

Pure Python: nothing here imports Flask, SQLAlchemy or the web app (a test enforces it).
"""

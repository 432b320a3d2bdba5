"""Consultation results as PDF: the designer's documents' pipeline, only the template differs.

The same engine, pinned fonts (parsed once per process), restrictive URL fetcher and PDF/UA-1
repairs as ``app.designer.pdf`` (nothing but our static files and ``data:`` URIs is read, whatever
text participants wrote).
"""

from __future__ import annotations

from app.designer.pdf import render

__all__ = ["render"]

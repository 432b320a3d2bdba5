"""One service module per designer page family: each returns a typed view model for its template.

A view in ``app.designer.views`` parses the request, calls one function of one module here and
renders, redirects, flashes or aborts; the figures in a view model have already been through
the suppression path (``assessments.cohort``) and are shown with the registered formatting
filters, so neither the view nor the template works anything out. ``common`` holds what the
page modules share (the programme lookup, the small-numbers threshold, the label functions).
"""

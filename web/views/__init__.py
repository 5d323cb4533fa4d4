"""Thin page views: the same services and selectors as the API, rendered.

One module per area of the app; ``web/urls.py`` names them.
"""

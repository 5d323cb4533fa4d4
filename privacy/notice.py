"""The privacy notice's version: bump it whenever the notice's content changes.

Sign-up stores the version the person was shown (``User.privacy_notice_version``),
so the city can tell who saw which text.
"""

NOTICE_VERSION = "2026-12-01"

"""Writes of the privacy app: deletion (deletion.py) and retention (retention.py)."""

from privacy.services.deletion import DeletionResult, account_delete
from privacy.services.retention import PurgeCounts, purge_old_data

__all__ = ["DeletionResult", "PurgeCounts", "account_delete", "purge_old_data"]

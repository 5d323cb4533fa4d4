"""Exercise services (writes). Other apps import from here."""

from exercises.services.scheduling import review_cards_add

__all__ = ["review_cards_add"]

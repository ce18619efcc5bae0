"""Bounds and windows the assessment records share."""

from django.core.validators import MaxValueValidator, MinValueValidator

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
FRACTION = [MinValueValidator(0), MaxValueValidator(1)]

# A worker hears that a badge will expire this many days before it does: by email, and on their home page.
EXPIRY_WARNING_DAYS = 14

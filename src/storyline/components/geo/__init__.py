"""Helpers of the places stage: candidate features and the trained ranker (see components/places.py)."""

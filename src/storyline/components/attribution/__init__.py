"""Attribution (who said what): features over spaCy's parse, the trained linear models and decoding.

Split from :mod:`storyline.components.claims` so that ``training/train_claims.py`` computes exactly the
features the stage computes at run time: one function per feature set, used by both.
"""

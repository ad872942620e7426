"""Pipeline stages: each module registers one spaCy factory ``storyline_<stage>`` (Doc -> Doc)."""

"""Tests of the readers in storyline.ingest."""

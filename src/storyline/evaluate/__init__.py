"""Scorers for every task of ../shared/data/FORMAT.md, one module per task."""

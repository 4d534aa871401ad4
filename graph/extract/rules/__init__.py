"""Relation rules: each reads one family of phrasings into relations with evidence."""

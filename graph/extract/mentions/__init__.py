"""Mentions: where persons, organisations, economies and events are named in the text."""

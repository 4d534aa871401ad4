"""The ``msme-kg`` command."""

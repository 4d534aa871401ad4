"""The data flow composed: read -> extract -> resolve -> curate -> map -> store, sequential or parallel."""

"""What readers see: REST look-ups, the web pages' data, networks, exports, counts."""

"""The ``haven`` command: parses options, calls one library function, prints."""

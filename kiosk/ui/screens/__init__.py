"""One module per screen; screens show data and emit what the user asked for."""

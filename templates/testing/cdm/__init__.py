"""CDM in the simulator: its backend (state and rules), views (the wire) and HTTP handlers."""

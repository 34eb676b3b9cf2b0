"""DataArts Factory in the simulator: its backend (state and rules), views (the wire), HTTP
handlers, node-type checks and export archives."""

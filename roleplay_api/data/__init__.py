"""The bundled scenario library (scenarios.yaml), loaded by `flask scenarios seed`."""

"""The rules: plain values in, domain objects or errors out; each call owns its transaction."""

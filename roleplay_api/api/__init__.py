"""HTTP views: one blueprint module per resource; each view loads, calls one service, dumps."""

"""ISP replies and requests: who held an IP address, port and time, and asking for it.

An IP address in a tip is an event, never an identity. ``replies`` reads what an ISP
sent back (subscriber per address, port block and time window), ``attribution`` joins
tip events to those windows without guessing under CGNAT, and ``requests`` writes the
requests and letters for every event still without a subscriber.
"""

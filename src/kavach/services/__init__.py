"""Use cases: what an examiner (or a web request) asks Kavach to do.

Each service owns its transactions and writes its own audit entries, so every adapter
(the CLI today, the API and pages next) gets the same behaviour for free. Services see
storage only through the ports in ``hashsets/ports.py``, ``evidence/ports.py``,
``reporting/ports.py`` and ``audit/ports.py``; ``bootstrap.py`` builds them.
"""

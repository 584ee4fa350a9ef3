"""Example apps built with eventguard (``shop``: the app of ``app.py``)."""

"""The partner API's shared pieces: the router, formats, pagination, throttles, permissions and conditional requests.

The resources themselves live in the app they serve (``meetings/api.py``, ``meetings/actor_api.py``).
"""

"""The rate limiter the sign-in, consultation and privacy pages share, bound in the factory.

Apart from ``app.extensions`` because only the web pages use it: ``certready``'s commands build
the app without them and so never import Flask-Limiter and its storage backends.
"""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])

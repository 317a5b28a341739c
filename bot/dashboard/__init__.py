"""Staff dashboard (/dashboard): tickets, statistics and reference data, behind a login.

Flask-Login and CSRF protection are set up when the blueprint is registered; the factory exempts
the machine endpoints (/wechat, Open311, the occupancy API, the simulator) from CSRF because
they authenticate by signature or key, not by a browser session.
"""

from bot.dashboard import accounts, auth, manage, queue, stats  # noqa: F401  (views register on bp)
from bot.dashboard.blueprint import bp, csrf, login_manager  # noqa: F401

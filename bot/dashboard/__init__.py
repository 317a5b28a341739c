"""Staff dashboard (/dashboard): tickets, statistics and reference data, behind a login.

Flask-Login and CSRF protection are set up when the blueprint is registered; the machine
endpoints (/wechat, Open311, the occupancy API, the simulator) are exempt from CSRF because
they authenticate by signature or key, not by a browser session.
"""

from datetime import timedelta

from flask import Blueprint
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
login_manager = LoginManager()
csrf = CSRFProtect()


@bp.record_once
def setup(state):
    """Bind Flask-Login and CSRF to the app; exempt the signed or keyed machine endpoints."""
    from bot import open311, parking_api, simulator, wechat

    app = state.app
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(minutes=30))
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    login_manager.init_app(app)
    login_manager.login_view = "dashboard.login"
    login_manager.login_message = "请先登录。"
    csrf.init_app(app)
    for blueprint in (wechat.bp, open311.bp, parking_api.bp, simulator.bp):
        csrf.exempt(blueprint)


@login_manager.user_loader
def load_staff(staff_id):
    from bot.extensions import db
    from bot.models import StaffUser

    return db.session.get(StaffUser, int(staff_id)) if staff_id.isdigit() else None


from bot.dashboard import auth, manage, queue, stats  # noqa: E402,F401  (views register on bp)

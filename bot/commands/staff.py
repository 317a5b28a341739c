"""`flask --app bot staff create --username U --department D [--admin]`: dashboard accounts."""

import os

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot.extensions import db
from bot.models import Department, StaffUser

staff = AppGroup("staff", help="Dashboard accounts.")
MIN_PASSWORD = 10


@staff.command("create")
@click.option("--username", required=True)
@click.option("--department", required=True, help="Department name, e.g. 市政设施管理所.")
@click.option("--admin", is_flag=True, help="Sees and manages everything.")
@click.option("--password", default=None, help="Password (or STAFF_PASSWORD; asked for when neither is set).")
def create_command(username, department, admin, password):
    """Create a dashboard account (department staff see only their department's tickets)."""
    row = db.session.execute(select(Department).filter_by(name=department)).scalar_one_or_none()
    if row is None:
        names = "、".join(db.session.execute(select(Department.name)).scalars())
        raise click.ClickException(f"unknown department {department!r}; one of: {names}")
    if db.session.execute(select(StaffUser).filter_by(username=username)).first():
        raise click.ClickException(f"username {username!r} is taken")
    password = password or os.environ.get("STAFF_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"password must have at least {MIN_PASSWORD} characters")
    user = StaffUser(username=username, department=row, is_admin=admin)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {'admin' if admin else 'staff'} {username} ({department})")


COMMANDS = [staff]

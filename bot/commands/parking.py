"""`flask --app bot parking import FILE.csv`, operator keys for the occupancy API, and a list.

    flask --app bot parking import lots.csv [--drop-sample]
    flask --app bot parking operator "万达物业" --lot 7 --lot 8      (prints the API key once)
    flask --app bot parking list
"""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from bot.extensions import db
from bot.models.parking import ParkingLot, ParkingOperator
from bot.parking import lots as parking_data

parking = AppGroup("parking", help="Parking lots (错时共享停车).")


@parking.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--drop-sample", is_flag=True, help="Also remove the shipped 【示例】 sample lots.")
def import_command(path, drop_sample):
    """Import lots from CSV (name,address,lat,lng,spaces,schedule,fee,phone); all rows or none."""
    try:
        rows = parking_data.read_csv(Path(path).read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise click.ClickException("the file is not UTF-8 text; nothing imported") from error
    except parking_data.ImportError_ as error:
        for line, problem in error.problems:
            click.echo(f"line {line}: {problem}", err=True)
        raise click.ClickException(f"{len(error.problems)} bad row(s); nothing imported") from error
    search = current_app.extensions["parking"]  # running bots see the new lots at once (through Redis)
    added, updated = parking_data.import_rows(db.session, rows, search=search)
    click.echo(f"imported {len(rows)} lots: {added} added, {updated} updated")
    if drop_sample:
        click.echo(f"removed {parking_data.drop_sample(db.session, search=search)} sample lots")


@parking.command("operator")
@click.argument("name")
@click.option("--lot", "lots", multiple=True, type=int, help="Lot id this operator reports for (repeatable).")
def operator_command(name, lots):
    """Create an operator and print its API key (shown once; only its hash is stored)."""
    if db.session.execute(select(ParkingOperator).filter_by(name=name)).scalar_one_or_none():
        raise click.ClickException(f"operator {name!r} already exists")
    missing = [lot_id for lot_id in lots if db.session.get(ParkingLot, lot_id) is None]
    if missing:
        raise click.ClickException(f"no lot with id {missing[0]} (see `flask --app bot parking list`)")
    key = parking_data.create_operator(db.session, name)
    operator = db.session.execute(select(ParkingOperator).filter_by(name=name)).scalar_one()
    for lot_id in lots:
        db.session.get(ParkingLot, lot_id).operator_id = operator.id
    db.session.commit()
    click.echo(key)


@parking.command("list")
def list_command():
    """Lots with their ids (for operator keys)."""
    for lot in db.session.execute(select(ParkingLot).order_by(ParkingLot.id)).scalars():
        click.echo(f"{lot.id}\t{lot.name}\t{lot.kind}\t{lot.spaces}\t{lot.schedule}")


COMMANDS = [parking]

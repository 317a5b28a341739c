"""`flask --app bot parking import FILE.csv` and operator keys for the occupancy API."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot import parking_data
from bot.extensions import db
from bot.models.parking import ParkingLot, ParkingOperator

parking = AppGroup("parking", help="Parking lots (错时共享停车).")


@parking.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path):
    """Import lots from CSV (name,address,lat,lng,spaces,schedule,fee,phone); all rows or none."""
    try:
        rows = parking_data.read_csv(Path(path).read_text(encoding="utf-8"))
    except parking_data.ImportError_ as error:
        for line, problem in error.problems:
            click.echo(f"line {line}: {problem}", err=True)
        raise click.ClickException(f"{len(error.problems)} bad row(s); nothing imported") from error
    added, updated = parking_data.import_rows(db.session, rows)
    click.echo(f"imported {len(rows)} lots: {added} added, {updated} updated")


@parking.command("operator")
@click.argument("name")
@click.option("--lot", "lots", multiple=True, type=int, help="Lot id this operator reports for (repeatable).")
def operator_command(name, lots):
    """Create an operator and print its API key (shown once)."""
    key = parking_data.create_operator(db.session, name)
    operator = db.session.execute(select(ParkingOperator).filter_by(name=name)).scalar_one()
    for lot_id in lots:
        lot = db.session.get(ParkingLot, lot_id)
        if lot is None:
            raise click.ClickException(f"no lot {lot_id}")
        lot.operator_id = operator.id
    db.session.commit()
    click.echo(key)


@parking.command("list")
def list_command():
    """Lots with their ids (for operator keys)."""
    for lot in db.session.execute(select(ParkingLot).order_by(ParkingLot.id)).scalars():
        click.echo(f"{lot.id}\t{lot.name}\t{lot.spaces}\t{lot.schedule}")


COMMANDS = [parking]

"""`flask --app bot parking import FILE.csv` (all rows or none), operators, the shipped sample."""

import uuid

from bot.models.parking import ParkingLot, ParkingOperator

HEADER = "name,address,lat,lng,spaces,schedule,fee,phone\n"
GOOD = "好的停车场,几江街道9号,29.29,106.26,10,daily 00:00-24:00,免费,\n"


def _import(runner, tmp_path, text, *options):
    path = tmp_path / f"lots-{uuid.uuid4().hex[:6]}.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["parking", "import", str(path), *options])


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(app, runner, tmp_path):
    result = _import(runner, tmp_path, HEADER + GOOD
                     + "坏坐标,地址,abc,106.26,10,daily 00:00-24:00,,\n"
                     + "坏时间,地址,29.29,106.26,10,someday 10:00-12:00,,\n"
                     + "坏车位,地址,29.29,106.26,-3,daily 00:00-24:00,,\n"
                     + "境外,地址,51.5,-0.12,10,daily 00:00-24:00,,\n"
                     + ",没有名字,29.29,106.26,10,daily 00:00-24:00,,\n")
    assert result.exit_code != 0
    for line in (3, 4, 5, 6, 7):
        assert f"line {line}:" in result.output
    assert "line 2:" not in result.output and "nothing imported" in result.output
    assert "someday" in result.output  # the schedule's own message names the bad rule
    with app.app_context():
        assert ParkingLot.query.filter_by(name="好的停车场").count() == 0


def test_missing_columns_and_duplicates_are_refused(app, runner, tmp_path):
    result = _import(runner, tmp_path, "name,address,lat,lng\n好的,地址,29.29,106.26\n")
    assert result.exit_code != 0 and "line 1:" in result.output and "spaces" in result.output
    result = _import(runner, tmp_path, HEADER + GOOD + GOOD)
    assert result.exit_code != 0 and "line 3:" in result.output and "line 2" in result.output
    with app.app_context():
        assert ParkingLot.query.filter_by(name="好的停车场").count() == 0


def test_reimport_updates_by_name_and_address(app, runner, tmp_path):
    lots = HEADER + ("再导入机关停车场,几江街道1号,29.2900,106.2600,100,mon-fri 18:00-08:00,免费,\n"
                     "再导入路内泊位,几江街道2号,29.2950,106.2600,30,daily 07:00-22:00,每小时2元,\n")
    assert "2 added" in _import(runner, tmp_path, lots).output
    changed = lots.replace(",100,", ",120,").replace("免费", "每次2元")
    result = _import(runner, tmp_path, changed)
    assert "0 added, 2 updated" in result.output
    with app.app_context():
        office = ParkingLot.query.filter_by(name="再导入机关停车场").one()
        assert (office.spaces, office.fee, office.kind) == (120, "每次2元", "shared")
        assert ParkingLot.query.filter_by(name="再导入路内泊位").one().kind == "on-street"
        ParkingLot.query.filter(ParkingLot.name.like("再导入%")).delete()
        from bot.extensions import db

        db.session.commit()


def test_kind_column_is_optional_and_checked(app, runner, tmp_path):
    result = _import(runner, tmp_path, HEADER.replace("phone", "phone,kind") + GOOD.replace("免费,", "免费,,car"))
    assert result.exit_code != 0 and "kind" in result.output


def test_sample_is_labelled_and_loaded(app):
    with app.app_context():
        sample = ParkingLot.query.filter_by(sample=True).all()
        assert len(sample) >= 25 and all(lot.name.startswith("【示例】") for lot in sample)
        assert {lot.kind for lot in sample} == {"shared", "public", "on-street"}


def test_operator_command(app, runner):
    with app.app_context():
        lot_id = ParkingLot.query.first().id
    name = f"物业-{uuid.uuid4().hex[:6]}"
    key = runner.invoke(args=["parking", "operator", name, "--lot", str(lot_id)]).output.strip()
    assert key.startswith("jjp_")
    again = runner.invoke(args=["parking", "operator", name])
    assert again.exit_code != 0 and "already exists" in again.output
    with app.app_context():
        from bot.extensions import db

        operator = ParkingOperator.query.filter_by(name=name).one()
        assert key not in operator.key_hash and db.session.get(ParkingLot, lot_id).operator_id == operator.id
        db.session.get(ParkingLot, lot_id).operator_id = None
        db.session.delete(operator)
        db.session.commit()
    assert "no lot" in runner.invoke(args=["parking", "operator", name + "x", "--lot", "999999"]).output

"""The migrations build exactly the schema the models declare, and go down again cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from bot.extensions import db


def _differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return [d for d in compare_metadata(context, db.metadata)]


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        assert _differences(connection) == []


def test_every_migration_goes_down_and_up_again(tmp_path):
    from bot import create_app

    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                      "WECHAT_TOKEN": "t"})
    with app.app_context():
        upgrade(revision="heads")
        downgrade(revision="base")
        with db.engine.connect() as connection:
            names = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        assert names == set()
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            assert _differences(connection) == []
        db.engine.dispose()

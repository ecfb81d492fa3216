"""The Alembic migrations build exactly the schema the models describe (a model change without a migration fails)."""

from __future__ import annotations

import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import storage
from storage.models import Base

for _module in pkgutil.iter_modules(storage.__path__):
    if _module.name.startswith("models_"):  # every model module registers its tables on Base.metadata
        importlib.import_module(f"storage.{_module.name}")


def test_the_migrated_database_has_every_table_column_and_index_of_the_models(db_template):
    engine = create_engine(f"sqlite:///{db_template}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": False}),
                                Base.metadata)
    engine.dispose()
    assert diff == []

"""The Alembic migrations build exactly the schema the models describe (a model change without a migration fails)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from storage import models_issuance, models_jobs  # noqa: F401 - every model module registers its tables
from storage.models import Base


def test_the_migrated_database_has_every_table_column_and_index_of_the_models(db_template):
    engine = create_engine(f"sqlite:///{db_template}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": False}),
                                Base.metadata)
    engine.dispose()
    assert diff == []

"""Alembic environment: the URL comes from the config the application builds (storage.migrate)."""

from __future__ import annotations

from alembic import context

from storage import (  # noqa: F401 - every model module registers its tables on Base.metadata
    models_enterprises,
    models_handling,
    models_institutions,
    models_issuance,
    models_jobs,
    models_modeler,
    models_plans,
    models_recurring,
)
from storage.db import make_engine
from storage.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=context.config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

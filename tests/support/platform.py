"""Test wiring: a migrated database per test (copied from a template), demo directory data, helpers."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

from adapters.services.bootstrap import Wiring, bootstrap
from adapters.services.platform import directory
from adapters.services.platform.actors import Actor
from adapters.services.platform.setup import upgrade_database
from adapters.settings import Settings
from storage.models import Organisation

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = "Passw0rd!"


def settings_for(tmp: Path, database_url: str, **overrides: object) -> Settings:
    env = {"ANPEI_DATA_DIR": str(tmp), "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
           "JOB_QUEUE": "inline"}
    return Settings.from_env(env, testing=True, **overrides)


def migrated_template(directory_: Path) -> Path:
    """Migrate one SQLite file per test session; tests copy it (alembic per test would be slow)."""
    template = directory_ / "template.db"
    if not template.exists():
        wiring = bootstrap(settings_for(directory_, f"sqlite:///{template}"))
        upgrade_database(wiring.platform, wiring.settings.database_url)
        wiring.dispose()
    return template


def populated_template(directory_: Path, migrated: Path) -> Path:
    """The migrated template plus the test directory of organisations and users (scrypt hashing is slow)."""
    template = directory_ / "people.db"
    if not template.exists():
        shutil.copyfile(migrated, template)
        wiring = bootstrap(settings_for(directory_, f"sqlite:///{template}"))
        populate(wiring)
        wiring.dispose()
    return template


def directory_of(wiring: Wiring) -> Directory:
    with wiring.platform.uow() as uow:
        return Directory(wiring, {o.code: o.id for o in uow.directory.organisations()})


def sqlite_wiring(tmp: Path, template: Path, **overrides: object) -> Wiring:
    tmp.mkdir(parents=True, exist_ok=True)
    target = tmp / "anpei.db"
    shutil.copyfile(template, target)
    return bootstrap(settings_for(tmp, f"sqlite:///{target}", **overrides))


def create_pg_database() -> str:
    name = f"anpei_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_pg_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_url(name: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


@dataclass
class Directory:
    """A small cast: the city bureau, a county bureau, two institutions and one user per role."""

    wiring: Wiring
    orgs: dict[str, int]

    def actor(self, username: str) -> Actor:
        return directory.actor_by_username(self.wiring.platform, username)


ORGS = (
    # code, name, kind, parent code, division
    ("CITY", "晋城市应急管理局", "city_bureau", None, "140500"),
    ("ZZ", "泽州县应急管理局", "county_bureau", "CITY", "140525"),
    ("INST-A", "晋城安培职业培训学校", "institution", "CITY", "140500"),
    ("INST-B", "泽州县安全培训中心", "institution", "ZZ", "140525"),
    ("SITE-1", "晋城市第一考点", "exam_site", "CITY", "140500"),
)
USERS = (
    # username, org code, roles, admin
    ("admin", "CITY", (), True),
    ("bureau", "CITY", ("bureau_training",), False),
    ("inst_a", "INST-A", ("institution_staff",), False),
    ("inst_a2", "INST-A", ("institution_staff",), False),
    ("inst_b", "INST-B", ("institution_staff",), False),
    ("site", "SITE-1", ("exam_site_staff",), False),
)


def populate(wiring: Wiring) -> Directory:
    orgs: dict[str, int] = {}
    with wiring.platform.uow() as uow:
        for code, name, kind, parent, division in ORGS:
            org = uow.directory.add_organisation(Organisation(
                code=code, name=name, kind=kind, parent_id=orgs.get(parent) if parent else None,
                division_code=division))
            orgs[code] = org.id
        uow.commit()
    for username, org, roles, admin in USERS:
        directory.create_user(wiring.platform, username=username, display_name=username, password=PASSWORD,
                              organisation_code=org, role_keys=roles, is_admin=admin)
    return Directory(wiring, orgs)

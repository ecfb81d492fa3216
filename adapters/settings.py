"""Every setting of the application, read from the environment in this one place.

| Variable | Default | Meaning |
|---|---|---|
| ``ANPEI_DATA_DIR`` | ``./instance`` | where the embedded default keeps its SQLite file and object folder |
| ``DATABASE_URL`` | ``sqlite:///<data dir>/anpei.db`` | SQLAlchemy URL; ``postgresql+psycopg://…`` in production |
| ``SECRET_KEY`` | random per data dir (stored in ``<data dir>/secret_key``) | signs sessions and CSRF tokens |
| ``OBJECT_STORE`` | ``local`` | ``local`` (a folder) or ``minio`` |
| ``OBJECT_DIR`` | ``<data dir>/objects`` | folder of the local object store |
| ``MINIO_ENDPOINT`` / ``MINIO_ACCESS_KEY`` / ``MINIO_SECRET_KEY`` / ``MINIO_BUCKET`` / ``MINIO_SECURE`` | — / — / — / ``anpei`` / ``true`` | MinIO connection |
| ``UPLOAD_MAX_MB`` | ``20`` | largest accepted upload |
| ``SESSION_MINUTES`` | ``30`` | idle session timeout |
| ``LOGIN_MAX_FAILURES`` / ``LOGIN_LOCK_MINUTES`` | ``5`` / ``15`` | lock-out after repeated failed sign-ins |
| ``SMTP_HOST`` / ``SMTP_PORT`` / ``SMTP_USER`` / ``SMTP_PASSWORD`` / ``SMTP_FROM`` / ``SMTP_STARTTLS`` | — / ``25`` / — / — / ``anpei@localhost`` / ``false`` | e-mail; unset host = in-app only |
| ``PUBLIC_URL`` | ``http://127.0.0.1:5000`` | base of links in e-mails and certificate QR codes |
| ``BPMN_DIR`` / ``FORMS_DIR`` | ``./bpmn`` / ``./forms`` | diagrams deployed by ``processes deploy`` and the form definitions |
| ``SCRIPT_MAX_SECONDS`` / ``SCRIPT_MAX_STEPS`` | ``1.0`` / ``200000`` | sandbox budget per script or expression |
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    object_store: str
    object_dir: Path
    minio_endpoint: str | None
    minio_access_key: str | None
    minio_secret_key: str | None
    minio_bucket: str
    minio_secure: bool
    upload_max_mb: int
    session_minutes: int
    login_max_failures: int
    login_lock_minutes: int
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_from: str
    smtp_starttls: bool
    public_url: str
    bpmn_dir: Path
    forms_dir: Path
    script_max_seconds: float
    script_max_steps: int
    job_queue: str
    job_queue_name: str
    job_workers: int
    server_timing: bool
    testing: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("ANPEI_DATA_DIR", PROJECT_ROOT / "instance")).resolve()
        values: dict[str, object] = {
            "data_dir": data_dir,
            "database_url": env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'anpei.db'}",
            "secret_key": env.get("SECRET_KEY") or _stored_secret(data_dir),
            "object_store": env.get("OBJECT_STORE", "local"),
            "object_dir": Path(env.get("OBJECT_DIR", data_dir / "objects")),
            "minio_endpoint": env.get("MINIO_ENDPOINT"),
            "minio_access_key": env.get("MINIO_ACCESS_KEY"),
            "minio_secret_key": env.get("MINIO_SECRET_KEY"),
            "minio_bucket": env.get("MINIO_BUCKET", "anpei"),
            "minio_secure": _flag(env.get("MINIO_SECURE", "true")),
            "upload_max_mb": int(env.get("UPLOAD_MAX_MB", "20")),
            "session_minutes": int(env.get("SESSION_MINUTES", "30")),
            "login_max_failures": int(env.get("LOGIN_MAX_FAILURES", "5")),
            "login_lock_minutes": int(env.get("LOGIN_LOCK_MINUTES", "15")),
            "smtp_host": env.get("SMTP_HOST") or None,
            "smtp_port": int(env.get("SMTP_PORT", "25")),
            "smtp_user": env.get("SMTP_USER") or None,
            "smtp_password": env.get("SMTP_PASSWORD") or None,
            "smtp_from": env.get("SMTP_FROM", "anpei@localhost"),
            "smtp_starttls": _flag(env.get("SMTP_STARTTLS", "false")),
            "public_url": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
            "bpmn_dir": Path(env.get("BPMN_DIR", PROJECT_ROOT / "bpmn")),
            "forms_dir": Path(env.get("FORMS_DIR", PROJECT_ROOT / "forms")),
            "script_max_seconds": float(env.get("SCRIPT_MAX_SECONDS", "1.0")),
            "script_max_steps": int(env.get("SCRIPT_MAX_STEPS", "200000")),
            # Background jobs: "sqlite" (a Huey file in the data directory, run by `flask jobs run`), a
            # redis:// URL in production, or "inline" (run right after the commit, in the same process).
            "job_queue": env.get("JOB_QUEUE", "sqlite"),
            "job_queue_name": env.get("JOB_QUEUE_NAME", "anpei"),  # one Redis may serve several installations
            "job_workers": int(env.get("JOB_WORKERS", "2")),
            "server_timing": _flag(env.get("SERVER_TIMING", "false")),  # SQL count/time per response header
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _stored_secret(data_dir: Path) -> str:
    """A per-installation secret, created once, so sessions survive restarts without configuration."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.write_text(secret)
    path.chmod(0o600)
    return secret

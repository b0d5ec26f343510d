"""Motor y sesiones de SQLAlchemy 2.

Por omisión, un archivo SQLite (modo WAL, escrituras síncronas completas, llaves foráneas
activas) que se crea en el primer arranque; PostgreSQL con un URL ``postgresql+psycopg://…``
(también se acepta ``postgresql://…``).  Cada solicitud HTTP usa una sola sesión y una sola
transacción: o se confirma completa o no queda nada escrito (ver ``web.aplicacion``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    """Base declarativa de todas las tablas del servidor."""


class FechaHoraUTC(TypeDecorator[datetime]):
    """Fecha y hora siempre en UTC y con zona, igual en SQLite y en PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, valor: datetime | None, dialecto: object) -> datetime | None:
        if valor is None:
            return None
        if valor.tzinfo is None:
            raise ValueError("fecha sin zona horaria")
        return valor.astimezone(UTC)

    def process_result_value(self, valor: datetime | None, dialecto: object) -> datetime | None:
        if valor is None:
            return None
        return valor.replace(tzinfo=UTC) if valor.tzinfo is None else valor.astimezone(UTC)


def ahora() -> datetime:
    return datetime.now(UTC)


def normalizar_url(url: str) -> str:
    """Acepta ``postgresql://`` y lo dirige al controlador psycopg 3."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def crear_motor(url: str) -> Engine:
    """Motor de SQLAlchemy.  ``hide_parameters``: los valores enlazados (secretos TOTP, hashes,
    correos) nunca aparecen en los mensajes de error ni en los registros del servidor."""
    url = normalizar_url(url)
    datos = make_url(url)
    if datos.get_backend_name() == "sqlite":
        if datos.database and datos.database != ":memory:":
            Path(datos.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        motor = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)

        @event.listens_for(motor, "connect")
        def _pragmas(conexion, _registro):  # type: ignore[no-untyped-def]
            cursor = conexion.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # Transacciones de escritura serializadas: BEGIN IMMEDIATE evita que dos
            # solicitudes lean y luego choquen al escribir (SQLITE_BUSY a mitad de camino).
            conexion.isolation_level = None

        @event.listens_for(motor, "begin")
        def _begin(conexion):  # type: ignore[no-untyped-def]
            # Las lecturas cortas de ``crear_fabrica_lectura`` no toman el candado de escritura:
            # así el costo de argon2id no serializa a todo el servidor (18.6).
            if conexion.get_execution_options().get("vmre_solo_lectura"):
                conexion.exec_driver_sql("BEGIN")
            else:
                conexion.exec_driver_sql("BEGIN IMMEDIATE")

        return motor
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)


def crear_fabrica(motor: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=motor, expire_on_commit=False, autoflush=True)


def crear_fabrica_lectura(motor: Engine) -> sessionmaker[Session]:
    """Sesiones para lecturas cortas fuera de la transacción de la petición (en SQLite, sin candado)."""
    return sessionmaker(bind=motor.execution_options(vmre_solo_lectura=True), expire_on_commit=False)


def crear_esquema(motor: Engine) -> None:
    """Crea las tablas que falten y las protecciones de solo-anexar (idempotente)."""
    from . import modelos  # noqa: F401  (registra todas las tablas en Base.metadata)
    from .protecciones import instalar_protecciones

    Base.metadata.create_all(motor)
    instalar_protecciones(motor)


@contextmanager
def transaccion(fabrica: sessionmaker[Session]) -> Iterator[Session]:
    """Una unidad de trabajo completa: confirma al salir o revierte ante cualquier excepción."""
    sesion = fabrica()
    try:
        yield sesion
        sesion.commit()
    except BaseException:
        sesion.rollback()
        raise
    finally:
        sesion.close()

"""Lo que vive durante una petición: la sesión de base de datos y la configuración."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session, sessionmaker

from ..configuracion import Configuracion


def configuracion() -> Configuracion:
    return current_app.extensions["vmre"]["configuracion"]  # type: ignore[no-any-return]


def fabrica() -> sessionmaker[Session]:
    return current_app.extensions["vmre"]["fabrica"]  # type: ignore[no-any-return]


def bd() -> Session:
    """La sesión de la petición (una transacción; se confirma en ``aplicacion._confirmar``)."""
    if "bd" not in g:
        g.bd = fabrica()()
    return g.bd  # type: ignore[no-any-return]


def es_api() -> bool:
    from flask import request

    return request.path.startswith("/api/")

"""Lo que vive durante una petición: la sesión de base de datos y la configuración."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from sqlalchemy.orm import Session, sessionmaker

from ..configuracion import Configuracion


def configuracion() -> Configuracion:
    return current_app.extensions["vmre"]["configuracion"]  # type: ignore[no-any-return]


def fabrica() -> sessionmaker[Session]:
    return current_app.extensions["vmre"]["fabrica"]  # type: ignore[no-any-return]


def sesion_lectura() -> Session:
    """Sesión corta de solo lectura, fuera de la transacción de la petición (usar con ``with``)."""
    return current_app.extensions["vmre"]["fabrica_lectura"]()  # type: ignore[no-any-return]


def leer_aparte(consulta: Any) -> Any:
    """Un valor leído en una transacción corta, propia y sin candado de escritura.

    Se usa antes de abrir la transacción de la petición, para que el trabajo caro que no
    escribe (argon2id, 18.6) no retenga el candado de SQLite.
    """
    fabrica_lectura: sessionmaker[Session] = current_app.extensions["vmre"]["fabrica_lectura"]
    with fabrica_lectura() as sesion:
        return sesion.scalar(consulta)


def bd() -> Session:
    """La sesión de la petición (una transacción; se confirma en ``aplicacion._confirmar``)."""
    if "bd" not in g:
        g.bd = fabrica()()
    return g.bd  # type: ignore[no-any-return]


def es_api() -> bool:
    from flask import request

    return request.path.startswith("/api/")

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
    """La ruta es de la API ``/api/v1``: su sesión va en ``Authorization: Bearer`` (18.8).

    Solo decide la autenticación.  Si el error sale en JSON lo decide ``responde_json``.
    """
    from flask import request

    return request.path.startswith("/api/")


#: Atributo con que ``seguridad.cabina_json`` marca las vistas JSON que usan la cookie (24.4).
MARCA_JSON_CON_COOKIE = "vmre_json_con_cookie"


def es_json_con_cookie() -> bool:
    """La vista de la petición responde JSON pero se autentica con la cookie de las páginas (24.4)."""
    from flask import request

    if request.endpoint is None:
        return False
    vista = current_app.view_functions.get(request.endpoint)
    return bool(getattr(vista, MARCA_JSON_CON_COOKIE, False))


def responde_json() -> bool:
    """Los errores de esta petición salen como ``{"error": {…}}`` (18.5) y no como página:
    toda la API y las rutas JSON de la cabina (24.4)."""
    return es_api() or es_json_con_cookie()

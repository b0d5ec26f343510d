"""Autenticación, roles y CSRF de la capa web.

* (18.11) Páginas: el testigo de sesión va en la cookie firmada de Flask (HttpOnly, SameSite=Lax);
  todo POST lleva el testigo CSRF del formulario, que debe coincidir con el de la cookie.
* API ``/api/v1``: el testigo va en ``Authorization: Bearer``; la API nunca lee la cookie de
  sesión, así que un sitio ajeno no puede actuar en nombre de nadie (no hace falta CSRF).
* (24.4) Rutas JSON de la cabina (``cabina_json``): responden JSON como la API, pero la sesión es
  la cookie de las páginas y el testigo CSRF viaja en la cabecera ``X-CSRF-Token``.  Dos cosas
  distintas, cada una con su pregunta: ``contexto.es_api`` (¿Bearer?) y
  ``contexto.responde_json`` (¿errores en JSON?).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from ..bd.cuentas import CuentaElector
from ..bd.personal import Usuario
from ..dominio import sesiones
from ..dominio.roles import Rol
from ..errores import Codigo, ErrorServidor, prohibido
from .contexto import MARCA_JSON_CON_COOKIE, bd, es_api, es_json_con_cookie, responde_json

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])


def testigo_csrf() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


#: (24.4) Cabecera con el testigo CSRF de las rutas JSON de la cabina.
CABECERA_CSRF = "X-CSRF-Token"
_METODOS_SEGUROS = ("GET", "HEAD", "OPTIONS")


def revisar_csrf() -> None:
    """(18.11) Antes de cada vista: los formularios de las páginas llevan ``_csrf``.

    La API no usa la cookie (no hace falta).  Las rutas JSON de la cabina lo revisan en
    ``cabina_json``, con la cabecera y después de la sesión (24.4)."""
    if request.method in _METODOS_SEGUROS or es_api() or es_json_con_cookie():
        return
    _comparar_csrf(request.form.get("_csrf", ""))


def revisar_csrf_cabecera() -> None:
    """(24.4) El testigo CSRF de la sesión en la cabecera ``X-CSRF-Token`` (rutas JSON de la cabina)."""
    if request.method in _METODOS_SEGUROS:
        return
    _comparar_csrf(request.headers.get(CABECERA_CSRF, ""))


def _comparar_csrf(enviado: str) -> None:
    esperado = session.get("csrf")
    if not esperado or not secrets.compare_digest(str(esperado), enviado):
        raise ErrorServidor(
            Codigo.CSRF_INVALIDO,
            "El formulario caducó o no proviene de este sitio. Recargue la página e intente de nuevo.",
            400,
        )


def _testigo_peticion() -> str | None:
    if es_api():
        cabecera = request.headers.get("Authorization", "")
        if cabecera[:7].lower() == "bearer ":  # el nombre del esquema no distingue mayúsculas (RFC 9110)
            return cabecera[7:].strip() or None
        return None
    valor = session.get("testigo")
    return str(valor) if valor else None


def sesion_actual() -> sesiones.SesionVigente:
    if "sesion_vigente" not in g:
        testigo = _testigo_peticion()
        if not testigo:
            raise ErrorServidor(Codigo.NO_AUTENTICADO, "Inicie sesión para continuar.", 401)
        g.sesion_vigente = sesiones.vigente(bd(), testigo)
    return g.sesion_vigente  # type: ignore[no-any-return]


def usuario_actual() -> Usuario:
    s = sesion_actual()
    if s.sujeto_tipo != "personal":
        raise prohibido()
    fila = bd().get(Usuario, s.sujeto_id)
    if fila is None or not fila.activo:
        raise ErrorServidor(Codigo.CUENTA_INACTIVA, "La cuenta no está activa.", 403)
    return fila


def usuario_opcional() -> Usuario | None:
    try:
        return usuario_actual()
    except ErrorServidor:
        return None


def elector_opcional() -> CuentaElector | None:
    """El elector de la sesión, o None (para la barra de navegación de las páginas)."""
    try:
        return elector_actual()
    except ErrorServidor:
        return None


def elector_actual() -> CuentaElector:
    s = sesion_actual()
    if s.sujeto_tipo != "elector":
        raise prohibido()
    fila = bd().get(CuentaElector, s.sujeto_id)
    if fila is None or fila.estado != "activa":
        raise ErrorServidor(Codigo.CUENTA_INACTIVA, "La cuenta no está activa.", 403)
    return fila


def actor(usuario: Usuario) -> str:
    return f"usuario:{usuario.id}"


def requiere_rol(*roles: Rol) -> Callable[[F], F]:
    """Solo personal autenticado con alguno de ``roles``; en páginas, sin sesión redirige al acceso."""
    permitidos = {r.value for r in roles}

    def decorador(vista: F) -> F:
        @wraps(vista)
        def envoltura(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            try:
                usuario = usuario_actual()
            except ErrorServidor as e:
                if not responde_json() and e.codigo in (Codigo.NO_AUTENTICADO, Codigo.SESION_EXPIRADA):
                    session.pop("testigo", None)
                    return redirect(
                        url_for(
                            "personal.acceso", siguiente=request.path, expirada=int(e.codigo is Codigo.SESION_EXPIRADA)
                        )
                    )
                raise
            if usuario.rol not in permitidos:
                raise prohibido()
            g.usuario = usuario
            return vista(*args, **kwargs)

        return envoltura  # type: ignore[return-value]

    return decorador


def requiere_elector(vista: F) -> F:
    @wraps(vista)
    def envoltura(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        try:
            g.elector = elector_actual()
        except ErrorServidor as e:
            if e.codigo in (Codigo.NO_AUTENTICADO, Codigo.SESION_EXPIRADA):
                if es_json_con_cookie():
                    session.pop("testigo", None)
                elif not es_api():
                    # (24.2) Tras entrar, el acceso regresa aquí (solo rutas locales: cuentas.destino_local).
                    session.pop("testigo", None)
                    return redirect(
                        url_for(
                            "cuentas.acceso", expirada=int(e.codigo is Codigo.SESION_EXPIRADA), siguiente=request.path
                        )
                    )
            raise
        return vista(*args, **kwargs)

    return envoltura  # type: ignore[return-value]


def cabina_json(vista: F) -> F:
    """(24.4) Ruta JSON de la cabina: sesión de elector por la cookie y CSRF por cabecera.

    El orden es el de la API: primero la sesión (401 ``no_autenticado`` o ``sesion_expirada``,
    403 si no es de elector), luego el testigo CSRF (400 ``csrf_invalido``) y al final el cuerpo.
    Todo error sale en JSON (``contexto.responde_json``), nunca como página ni redirección.
    """

    @wraps(vista)
    def revisada(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        revisar_csrf_cabecera()
        return vista(*args, **kwargs)

    envoltura = requiere_elector(revisada)  # type: ignore[arg-type]
    setattr(envoltura, MARCA_JSON_CON_COOKIE, True)
    return envoltura  # type: ignore[no-any-return]


def registrar_fallos(claves: list[str]) -> None:
    """Anota intentos fallidos para el límite de frecuencia (18.9); deben quedar aunque la petición se
    revierta (18.3).

    No se escriben aquí: en SQLite la transacción de la petición (``BEGIN IMMEDIATE``) ya tiene el
    candado de escritura, y otra transacción esperaría ``busy_timeout`` y fallaría.  Se guardan en
    ``g`` y ``aplicacion`` los escribe en una transacción propia justo después de confirmar o
    revertir la de la petición.
    """
    g.setdefault("fallos_acceso", []).extend(claves)


def ip_cliente() -> str:
    return request.remote_addr or "desconocida"

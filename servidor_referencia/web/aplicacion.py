"""Fábrica de la aplicación Flask del servidor de referencia.

(18.2) Una petición = una transacción.  Si la vista termina con un estado < 400 se confirma; si
lanza un error o responde 4xx/5xx se revierte todo.  Un conflicto al confirmar (índice
único, versión optimista) se traduce en 409 sin dejar nada escrito.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from ..bd.base import crear_esquema, crear_fabrica, crear_fabrica_lectura, crear_motor
from ..configuracion import Configuracion
from ..dominio import limites
from ..errores import Codigo, ErrorServidor
from .contexto import responde_json
from .seguridad import elector_opcional, revisar_csrf, testigo_csrf, usuario_opcional

registro = logging.getLogger("vmre.servidor")

POLITICA_CONTENIDO = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

_HTTP = {
    404: (Codigo.NO_ENCONTRADO, "La página o el recurso solicitado no existe."),
    405: (Codigo.METODO_NO_PERMITIDO, "Método HTTP no permitido para esta dirección."),
    413: (Codigo.CUERPO_DEMASIADO_GRANDE, "El cuerpo de la petición es demasiado grande."),
    415: (Codigo.TIPO_CONTENIDO, "Tipo de contenido no admitido."),
    400: (Codigo.VALOR_INVALIDO, "Petición mal formada."),
}


def respuesta_error(error: ErrorServidor) -> tuple[Response | str, int]:
    cuerpo = {"error": {"codigo": error.codigo.value, "mensaje": error.mensaje, "detalles": error.detalles}}
    if responde_json():  # la API y las rutas JSON de la cabina (24.4)
        return jsonify(cuerpo), error.estado
    return render_template("error.html", error=error), error.estado


def crear_app(configuracion: Configuracion | None = None) -> Flask:
    configuracion = configuracion or Configuracion()
    app = Flask(__name__, template_folder="plantillas", static_folder="estaticos", static_url_path="/estaticos")
    app.config.update(
        SECRET_KEY=configuracion.clave_secreta,
        MAX_CONTENT_LENGTH=configuracion.max_cuerpo_bytes,
        MAX_FORM_MEMORY_SIZE=configuracion.max_cuerpo_bytes,
        SESSION_COOKIE_NAME="vmre_sesion",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=configuracion.cookies_seguras,
        PERMANENT_SESSION_LIFETIME=configuracion.duracion_sesion_s,
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    motor = crear_motor(configuracion.url_bd)
    crear_esquema(motor)
    fabrica = crear_fabrica(motor)
    app.extensions["vmre"] = {
        "configuracion": configuracion,
        "motor": motor,
        "fabrica": fabrica,
        "fabrica_lectura": crear_fabrica_lectura(motor),
    }

    _ciclo_de_peticion(app)
    _manejadores_de_error(app)
    _registrar_blueprints(app)

    @app.get("/favicon.ico")
    def _icono() -> Response:  # los navegadores lo piden solos: sin icono, pero sin 404 en cada página
        return Response(status=204)

    @app.context_processor
    def _plantillas() -> dict[str, Any]:
        # ``nombre_proceso`` aparte de ``proceso``: varias vistas pasan su ``proceso`` (la fila del
        # proceso electoral), que taparía el nombre en el título y el pie de base.html.
        return {
            "csrf": testigo_csrf,
            "usuario_sesion": usuario_opcional,
            "elector_sesion": elector_opcional,
            "proceso": configuracion.nombre_proceso,
            "nombre_proceso": configuracion.nombre_proceso,
        }

    from .envio import iniciar_despachador

    iniciar_despachador(app)
    return app


def _ciclo_de_peticion(app: Flask) -> None:
    @app.before_request
    def _antes() -> None:
        revisar_csrf()

    @app.after_request
    def _confirmar(respuesta: Response) -> Response:
        sesion = g.pop("bd", None)
        if sesion is not None:
            try:
                if respuesta.status_code < 400:
                    sesion.commit()
                else:
                    sesion.rollback()
            except (IntegrityError, StaleDataError) as e:
                sesion.rollback()
                registro.info("conflicto al confirmar: %s", type(e).__name__)
                cuerpo, estado = respuesta_error(
                    ErrorServidor(
                        Codigo.CONFLICTO, "Otra operación cambió estos datos al mismo tiempo. Intente de nuevo.", 409
                    )
                )
                respuesta = app.make_response((cuerpo, estado))
            finally:
                sesion.close()
        _escribir_fallos(app)
        respuesta.headers.setdefault("Content-Security-Policy", POLITICA_CONTENIDO)
        respuesta.headers.setdefault("X-Content-Type-Options", "nosniff")
        respuesta.headers.setdefault("Referrer-Policy", "no-referrer")
        respuesta.headers.setdefault("X-Frame-Options", "DENY")
        if not request.path.startswith("/estaticos/"):
            respuesta.headers.setdefault("Cache-Control", "no-store")
        return respuesta

    @app.teardown_request
    def _cerrar(_error: BaseException | None) -> None:
        sesion = g.pop("bd", None)
        if sesion is not None:
            sesion.rollback()
            sesion.close()
        _escribir_fallos(app)


def _escribir_fallos(app: Flask) -> None:
    """(18.3) Intentos fallidos anotados con ``seguridad.registrar_fallos``: en su propia transacción,
    después de cerrar la de la petición (que suele revertirse), para que el límite de frecuencia
    cuente aunque la petición no deje nada escrito."""
    claves = g.pop("fallos_acceso", None)
    if claves:
        limites.registrar_fallo_aparte(app.extensions["vmre"]["fabrica"], claves)


def _manejadores_de_error(app: Flask) -> None:
    @app.errorhandler(ErrorServidor)
    def _servidor(e: ErrorServidor) -> Any:
        return respuesta_error(e)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException) -> Any:
        codigo, mensaje = _HTTP.get(e.code or 500, (Codigo.ERROR_INTERNO, "Error del servidor."))
        return respuesta_error(ErrorServidor(codigo, mensaje, e.code or 500))

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def _conflicto(_e: Exception) -> Any:
        return respuesta_error(
            ErrorServidor(Codigo.CONFLICTO, "Otra operación cambió estos datos al mismo tiempo. Intente de nuevo.", 409)
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(Exception)
    def _inesperado(e: Exception) -> Any:
        from vmre_crypto import ErrorVMRE

        if isinstance(e, ErrorVMRE):  # un error de la biblioteca al decodificar entrada: 400 con su motivo
            return respuesta_error(ErrorServidor(e.motivo, e.mensaje, 400, **e.detalles))  # type: ignore[arg-type]
        # La regla y no la ruta: una ruta puede llevar un testigo de un solo uso (/activar/<testigo>).
        regla = request.url_rule.rule if request.url_rule is not None else "(sin ruta)"
        registro.exception("error inesperado en %s %s", request.method, regla)
        return respuesta_error(ErrorServidor(Codigo.ERROR_INTERNO, "Ocurrió un error interno; no se guardó nada.", 500))


def _registrar_blueprints(app: Flask) -> None:
    from . import cabina, computo, cuentas, eleccion, inicio, lnere, personal, srve, votacion

    for modulo in (inicio, personal, srve, lnere, cuentas, eleccion, votacion, computo):
        app.register_blueprint(modulo.paginas)
        app.register_blueprint(modulo.api)
    # La cabina web (§24) no tiene rutas /api/v1: sus rutas JSON usan la cookie de las páginas.
    app.register_blueprint(cabina.paginas)

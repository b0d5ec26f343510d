"""Cuentas de acceso de electores y listas públicas de credenciales de votación (§17).

Páginas: acceso del elector, activación por enlace, «mi cuenta» y el panel del personal
(conteos de cuentas y H_C de cada corte electrónico; la administración crea las cuentas).
API ``/api/v1``: lo mismo para programas, más los dos pasos de la autoridad de credenciales
(destinatarios y carga de la lista pública).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..bd.cuentas import CuentaElector
from ..dominio import activacion, credenciales_publicas, cuentas_electores, limites, sesiones, votacion
from ..dominio.catalogos import ENTIDADES, PAISES
from ..dominio.roles import Rol
from ..dominio.secretos import (
    ContrasenaVerificada,
    hash_contrasena,
    hash_testigo,
    problema_contrasena,
    secreto_totp_nuevo,
    uri_totp,
)
from ..errores import Codigo, ErrorServidor, no_encontrado
from .contexto import bd, configuracion, sesion_lectura
from .entrada import CONTRASENA, Campo, leer_formulario, leer_json
from .seguridad import actor, ip_cliente, registrar_fallos, requiere_elector, requiere_rol
from .totp_qr import qr_data_uri, validar_secreto_totp

paginas = Blueprint("cuentas", __name__)
api = Blueprint("api_cuentas", __name__, url_prefix="/api/v1")

#: Roles que leen conteos y H_C (17.15).
ROLES_LECTURA = (Rol.ADMINISTRADOR, Rol.AUDITOR, Rol.REPRESENTANTE, Rol.AUTORIDAD_CREDENCIALES)

ESQUEMA_ACCESO = {"correo": Campo(max_largo=254), "contrasena": CONTRASENA, "codigo": Campo(max_largo=6)}
ESQUEMA_ACTIVAR = {
    "ultimos_digitos_telefono": Campo(max_largo=4),
    "contrasena": CONTRASENA,
    "codigo": Campo(max_largo=6),
}
ESQUEMA_ACTIVAR_API = {"testigo": Campo(max_largo=100), **ESQUEMA_ACTIVAR, "totp_secreto": Campo(max_largo=32)}
ESQUEMA_CREAR_FORM = {"corte": Campo(max_largo=12)}
ESQUEMA_CREAR_API = {"corte": Campo(tipo=int)}
ESQUEMA_CARGA = {"publicas": Campo(tipo=list)}


def _corte_de_formulario(texto: str) -> int:
    if not texto.isdigit():
        raise ErrorServidor(Codigo.VALOR_INVALIDO, "Elija un corte.", campo="corte")
    return int(texto)


# ---------------------------------------------------------------- acceso del elector


def _acceder(datos: dict[str, str]) -> tuple[CuentaElector, str]:
    """Regla (17.6): mismo límite de intentos que el personal, por correo y por IP."""
    cfg = configuracion()
    correo = datos["correo"].strip().lower()
    claves = [f"acceso-elector:{correo}", f"acceso-ip:{ip_cliente()}"]
    # (18.6) Límite y argon2id antes de abrir la transacción de escritura de la petición.
    with sesion_lectura() as lectura:
        for clave in claves:
            limites.comprobar(lectura, clave, cfg.max_intentos, cfg.ventana_intentos_s)
        guardado = lectura.scalar(select(CuentaElector.hash_contrasena).where(CuentaElector.correo == correo))
    verificada = ContrasenaVerificada.de(guardado, datos["contrasena"])
    try:
        cuenta = cuentas_electores.autenticar(bd(), datos["correo"], datos["contrasena"], datos["codigo"], verificada)
    except ErrorServidor:
        registrar_fallos(claves)
        raise
    return cuenta, sesiones.abrir(bd(), "elector", cuenta.id, cfg.duracion_sesion_s)


@paginas.route("/elector/acceso", methods=["GET", "POST"])
def acceso() -> ResponseReturnValue:
    error = None
    if request.method == "POST":
        try:
            _cuenta, testigo = _acceder(leer_formulario(ESQUEMA_ACCESO))
        except ErrorServidor as e:
            error = e
        else:
            session.clear()
            session["testigo"] = testigo
            return redirect(destino_local(request.args.get("siguiente", "")) or url_for("cuentas.mi_cuenta"))
    expirada = request.args.get("expirada") == "1"
    return render_template("cuentas/acceso.html", error=error, expirada=expirada), (error.estado if error else 200)


def destino_local(destino: str) -> str | None:
    """(24.2) ``?siguiente=`` del acceso: solo una ruta de este sitio (``/sivei/…`` o ``/elector/…``).

    Nada de otro sitio: ni ``https://…``, ni ``//otro``, ni ``/\\otro`` (los navegadores tratan la
    barra invertida como ``/``), ni caracteres de control.  Si no cumple, ``None``."""
    if len(destino) > 200 or not destino.startswith(("/sivei/", "/elector/")):
        return None
    if "\\" in destino or "//" in destino or any(ord(c) < 0x21 or ord(c) == 0x7F for c in destino):
        return None
    partes = urlsplit(destino)
    if partes.scheme or partes.netloc:
        return None
    return destino


@paginas.post("/elector/salir")
def salir() -> ResponseReturnValue:
    testigo = session.get("testigo")
    if testigo:
        sesiones.cerrar(bd(), str(testigo))
    session.clear()
    flash("Sesión cerrada.", "ok")
    return redirect(url_for("cuentas.acceso"))


def _datos_cuenta(cuenta: CuentaElector) -> dict[str, Any]:
    """Lo que «mi cuenta» muestra (17.7): nada sobre credenciales de votación."""
    return {
        "correo": cuenta.correo,
        "entidad": cuenta.entidad,
        "entidad_nombre": ENTIDADES.get(cuenta.entidad, cuenta.entidad),
        "pais": cuenta.pais,
        "pais_nombre": PAISES.get(cuenta.pais, cuenta.pais),
        "estado": cuenta.estado,
        "activada": cuenta.activada.isoformat() if cuenta.activada else None,
    }


@paginas.get("/elector/")
@requiere_elector
def mi_cuenta() -> ResponseReturnValue:
    procesos = votacion.procesos_para(bd(), g.elector)  # (24.3)
    return render_template("cuentas/mi_cuenta.html", cuenta=_datos_cuenta(g.elector), procesos=procesos)


# ---------------------------------------------------------------- activación


def _limitar_telefono(enlace_hash: str) -> list[str]:
    """Regla (17.5): los intentos fallidos de los 4 dígitos cuentan por enlace y por IP."""
    cfg = configuracion()
    claves = [f"activar-elector:{enlace_hash[:32]}", f"activar-ip:{ip_cliente()}"]
    for clave in claves:
        limites.comprobar(bd(), clave, cfg.max_intentos, cfg.ventana_intentos_s)
    return claves


def _activar(testigo: str, datos: dict[str, str], secreto: str) -> CuentaElector:
    # (18.6) argon2id de la contraseña nueva antes de la transacción (si la petición aún no la abrió).
    hash_nuevo = None if problema_contrasena(datos["contrasena"]) else hash_contrasena(datos["contrasena"])
    enlace = activacion.enlace_valido(bd(), testigo, "elector")
    # Candado sobre la cuenta (PostgreSQL): dos activaciones simultáneas con el mismo enlace se
    # serializan y la segunda ve la cuenta ya activa.  En SQLite, BEGIN IMMEDIATE ya serializa.
    cuenta = bd().get(CuentaElector, enlace.sujeto_id, with_for_update=True, populate_existing=True)
    if cuenta is None:
        raise no_encontrado("la cuenta")
    claves = _limitar_telefono(enlace.hash_testigo)
    try:
        cuentas_electores.activar(
            bd(),
            cuenta,
            datos["ultimos_digitos_telefono"],
            datos["contrasena"],
            secreto,
            datos["codigo"],
            hash_precalculado=hash_nuevo,
        )
    except ErrorServidor as e:
        if e.codigo is Codigo.TELEFONO_NO_COINCIDE:
            registrar_fallos(claves)
        raise
    activacion.consumir(bd(), testigo, "elector")
    return cuenta


@paginas.route("/elector/activar/<testigo>", methods=["GET", "POST"])
def activar(testigo: str) -> ResponseReturnValue:
    enlace = activacion.enlace_valido(bd(), testigo, "elector")
    cuenta = bd().get(CuentaElector, enlace.sujeto_id)
    if cuenta is None:
        raise no_encontrado("la cuenta")
    clave_sesion = f"totp-elector:{hash_testigo(testigo)[:16]}"
    secreto = session.get(clave_sesion) or secreto_totp_nuevo()
    session[clave_sesion] = secreto
    error = None
    if request.method == "POST":
        try:
            _activar(testigo, leer_formulario(ESQUEMA_ACTIVAR), secreto)
        except ErrorServidor as e:
            error = e
        else:
            session.pop(clave_sesion, None)
            flash("Cuenta activada. Ya puede iniciar sesión con su correo, su contraseña y el código de su app.", "ok")
            return redirect(url_for("cuentas.acceso"))
    qr = qr_data_uri(uri_totp(secreto, cuenta.correo))
    return render_template("cuentas/activar.html", secreto=secreto, qr=qr, error=error), (
        error.estado if error else 200
    )


# ---------------------------------------------------------------- panel del personal


@paginas.route("/personal/cuentas", methods=["GET", "POST"])
@requiere_rol(*ROLES_LECTURA)
def panel() -> ResponseReturnValue:
    error = None
    if request.method == "POST":
        try:
            if g.usuario.rol != Rol.ADMINISTRADOR.value:
                raise ErrorServidor(Codigo.ROL_NO_PERMITIDO, "Solo la administración crea cuentas.", 403)
            resumen = _crear_cuentas(_corte_de_formulario(leer_formulario(ESQUEMA_CREAR_FORM)["corte"]))
        except ErrorServidor as e:
            error = e
        else:
            flash(
                f"Corte {resumen.corte_id}: {resumen.creadas} cuenta(s) creada(s) y enlace enviado; "
                f"{resumen.ya_existentes} ya tenían cuenta.",
                "ok",
            )
            return redirect(url_for("cuentas.panel"))
    cortes = credenciales_publicas.estado_cortes(bd())
    return render_template(
        "cuentas/panel.html", cortes=cortes, error=error, es_admin=g.usuario.rol == Rol.ADMINISTRADOR.value
    ), (error.estado if error else 200)


def _crear_cuentas(corte_id: int) -> cuentas_electores.ResumenAlta:
    cfg = configuracion()
    return cuentas_electores.crear_cuentas(
        bd(),
        corte_id,
        actor=actor(g.usuario),
        rol=g.usuario.rol,
        vigencia_s=cfg.vigencia_enlace_s,
        url_publica=cfg.url_publica,
        proceso=cfg.nombre_proceso,
    )


# ---------------------------------------------------------------- API /api/v1: electores


@api.post("/elector/sesion")
def api_sesion() -> ResponseReturnValue:
    _cuenta, testigo = _acceder(leer_json(ESQUEMA_ACCESO))
    return jsonify({"testigo": testigo, "expira_en_s": configuracion().duracion_sesion_s}), 201


@api.delete("/elector/sesion")
@requiere_elector
def api_cerrar_sesion() -> ResponseReturnValue:
    sesiones.cerrar(bd(), request.headers["Authorization"][7:].strip())
    return jsonify({"cerrada": True})


@api.get("/elector/cuenta")
@requiere_elector
def api_mi_cuenta() -> ResponseReturnValue:
    return jsonify(_datos_cuenta(g.elector))


@api.post("/elector/activar")
def api_activar() -> ResponseReturnValue:
    datos = leer_json(ESQUEMA_ACTIVAR_API)
    secreto = validar_secreto_totp(datos["totp_secreto"])
    cuenta = _activar(datos["testigo"], datos, secreto)
    return jsonify({"estado": cuenta.estado})


# ---------------------------------------------------------------- API: administración


@api.post("/elector/cuentas")
@requiere_rol(Rol.ADMINISTRADOR)
def api_crear_cuentas() -> ResponseReturnValue:
    resumen = _crear_cuentas(leer_json(ESQUEMA_CREAR_API)["corte"])
    return jsonify({"corte": resumen.corte_id, "creadas": resumen.creadas, "ya_existentes": resumen.ya_existentes}), 201


@api.post("/elector/cuentas/<int:cuenta_id>/reenviar")
@requiere_rol(Rol.ADMINISTRADOR)
def api_reenviar(cuenta_id: int) -> ResponseReturnValue:
    cfg = configuracion()
    cuenta = cuentas_electores.reenviar_enlace(
        bd(),
        cuenta_id,
        actor=actor(g.usuario),
        rol=g.usuario.rol,
        vigencia_s=cfg.vigencia_enlace_s,
        url_publica=cfg.url_publica,
        proceso=cfg.nombre_proceso,
    )
    return jsonify({"cuenta": cuenta.id, "estado": cuenta.estado, "enlace_enviado": True})


# ---------------------------------------------------------------- API: credenciales


@api.get("/credenciales")
@requiere_rol(*ROLES_LECTURA)
def api_estado() -> ResponseReturnValue:
    return jsonify({"cortes": [c.como_dict() for c in credenciales_publicas.estado_cortes(bd())]})


@api.get("/credenciales/cortes/<int:corte_id>")
@requiere_rol(*ROLES_LECTURA)
def api_lista(corte_id: int) -> ResponseReturnValue:
    lista = credenciales_publicas.lista_de(bd(), corte_id)
    return jsonify(
        {
            "corte": corte_id,
            "num_credenciales": lista.num_credenciales,
            "hash_lista": lista.hash_lista,
            "cargada": lista.cargada.isoformat(),
            "publicas": credenciales_publicas.publicas_de(bd(), lista),
        }
    )


@api.get("/credenciales/cortes/<int:corte_id>/destinatarios")
@requiere_rol(Rol.AUTORIDAD_CREDENCIALES)
def api_destinatarios(corte_id: int) -> ResponseReturnValue:
    correos = credenciales_publicas.destinatarios(bd(), corte_id, actor=actor(g.usuario), rol=g.usuario.rol)
    return jsonify({"corte": corte_id, "num_destinatarios": len(correos), "destinatarios": correos})


#: Bytes por credencial en el JSON: 1024 dígitos, comillas, coma y espacio.
_BYTES_POR_CREDENCIAL = 1024 + 4


@api.post("/credenciales/cortes/<int:corte_id>")
@requiere_rol(Rol.AUTORIDAD_CREDENCIALES)
def api_cargar(corte_id: int) -> ResponseReturnValue:
    corte = cuentas_electores.corte_electronico(bd(), corte_id)
    # El cuerpo crece con el corte (700 credenciales ≈ 720 KB): el límite se ajusta a N.
    request.max_content_length = max(
        configuracion().max_cuerpo_bytes, corte.num_registros * _BYTES_POR_CREDENCIAL + 4096
    )
    datos = leer_json(ESQUEMA_CARGA)
    lista = credenciales_publicas.cargar(
        bd(), corte_id, datos["publicas"], usuario_id=g.usuario.id, actor=actor(g.usuario), rol=g.usuario.rol
    )
    return jsonify({"corte": corte_id, "num_credenciales": lista.num_credenciales, "hash_lista": lista.hash_lista}), 201

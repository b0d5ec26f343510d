"""Personal: acceso con contraseña + TOTP, alta de cuentas por la administración,
activación por enlace de un solo uso y consulta de la bitácora de auditoría."""

from __future__ import annotations

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..bd.personal import EntradaBitacora, Usuario
from ..dominio import activacion, bitacora, limites, personal, sesiones
from ..dominio.correo import encolar
from ..dominio.roles import NOMBRES, Rol
from ..dominio.secretos import ContrasenaVerificada, secreto_totp_nuevo, uri_totp
from ..errores import Codigo, ErrorServidor, no_encontrado
from .contexto import bd, configuracion, sesion_lectura
from .entrada import CONTRASENA, Campo, leer_formulario, leer_json
from .seguridad import actor, ip_cliente, registrar_fallos, requiere_rol
from .totp_qr import qr_data_uri, validar_secreto_totp

paginas = Blueprint("personal", __name__, url_prefix="/personal")
api = Blueprint("api_personal", __name__, url_prefix="/api/v1")

ESQUEMA_ACCESO = {"usuario": Campo(max_largo=64), "contrasena": CONTRASENA, "codigo": Campo(max_largo=6)}
ESQUEMA_ALTA = {
    "usuario": Campo(max_largo=64),
    "nombre": Campo(max_largo=200),
    "correo": Campo(max_largo=254),
    "rol": Campo(max_largo=32),
}
ESQUEMA_ACTIVAR = {"contrasena": CONTRASENA, "codigo": Campo(max_largo=6)}
ESQUEMA_ACTIVAR_API = {
    "testigo": Campo(max_largo=100),
    "contrasena": CONTRASENA,
    "totp_secreto": Campo(max_largo=32),
    "codigo": Campo(max_largo=6),
}


def _acceder(datos: dict[str, str]) -> tuple[Usuario, str]:
    cfg = configuracion()
    claves = [f"acceso-personal:{datos['usuario'].lower()}", f"acceso-ip:{ip_cliente()}"]
    # (18.6) Límite y argon2id antes de abrir la transacción de escritura de la petición.
    with sesion_lectura() as lectura:
        for clave in claves:
            limites.comprobar(lectura, clave, cfg.max_intentos, cfg.ventana_intentos_s)
        guardado = lectura.scalar(
            select(Usuario.hash_contrasena).where(Usuario.usuario == datos["usuario"].strip().lower())
        )
    verificada = ContrasenaVerificada.de(guardado, datos["contrasena"])
    try:
        usuario = personal.autenticar(bd(), datos["usuario"], datos["contrasena"], datos["codigo"], verificada)
    except ErrorServidor:
        registrar_fallos(claves)
        raise
    testigo = sesiones.abrir(bd(), "personal", usuario.id, cfg.duracion_sesion_s)
    return usuario, testigo


@paginas.route("/acceso", methods=["GET", "POST"])
def acceso() -> ResponseReturnValue:
    error = None
    if request.method == "POST":
        try:
            _usuario, testigo = _acceder(leer_formulario(ESQUEMA_ACCESO))
        except ErrorServidor as e:
            error = e
        else:
            session.clear()
            session["testigo"] = testigo
            destino = request.args.get("siguiente", "")
            return redirect(destino if destino.startswith("/personal/") else url_for("personal.tablero"))
    expirada = request.args.get("expirada") == "1"
    return render_template("personal/acceso.html", error=error, expirada=expirada), (error.estado if error else 200)


@paginas.post("/salir")
def salir() -> ResponseReturnValue:
    testigo = session.get("testigo")
    if testigo:
        _anotar_cierre(sesiones.cerrar(bd(), str(testigo)))
    session.clear()
    flash("Sesión cerrada.", "ok")
    return redirect(url_for("personal.acceso"))


@paginas.get("/")
@requiere_rol(*Rol)
def tablero() -> ResponseReturnValue:
    return render_template("personal/tablero.html", usuario=g.usuario, rol=Rol(g.usuario.rol))


@paginas.route("/usuarios", methods=["GET", "POST"])
@requiere_rol(Rol.ADMINISTRADOR)
def usuarios() -> ResponseReturnValue:
    error = None
    if request.method == "POST":
        try:
            nuevo = _alta(leer_formulario(ESQUEMA_ALTA))
        except ErrorServidor as e:
            error = e
        else:
            flash(f"Cuenta «{nuevo.usuario}» creada; se envió el enlace de activación a {nuevo.correo}.", "ok")
            return redirect(url_for("personal.usuarios"))
    filas = bd().scalars(select(Usuario).order_by(Usuario.usuario)).all()
    return render_template("personal/usuarios.html", usuarios=filas, roles=NOMBRES, error=error), (
        error.estado if error else 200
    )


def _alta(datos: dict[str, str]) -> Usuario:
    try:
        rol = Rol(datos["rol"])
    except ValueError:
        raise ErrorServidor(Codigo.VALOR_INVALIDO, "Rol desconocido.", campo="rol") from None
    nuevo = personal.crear_usuario(
        bd(), datos["usuario"], datos["nombre"], datos["correo"], rol, actor(g.usuario), g.usuario.rol
    )
    cfg = configuracion()
    testigo = activacion.crear_enlace(bd(), "personal", nuevo.id, cfg.vigencia_enlace_s)
    enlace = f"{cfg.url_publica}/personal/activar/{testigo}"
    encolar(
        bd(),
        nuevo.correo,
        "Active su cuenta del sistema VMRE",
        f"Hola, {nuevo.nombre}:\n\nSe creó su cuenta «{nuevo.usuario}» con el rol {NOMBRES[rol]}.\n"
        f"Actívela (una sola vez, vigencia {cfg.vigencia_enlace_s // 3600} horas) en:\n\n{enlace}\n\n"
        "Necesitará una app autenticadora (TOTP) en su teléfono.\n",
        sensible=True,
    )
    return nuevo


@paginas.route("/activar/<testigo>", methods=["GET", "POST"])
def activar(testigo: str) -> ResponseReturnValue:
    enlace = activacion.enlace_valido(bd(), testigo, "personal")
    usuario = bd().get(Usuario, enlace.sujeto_id)
    if usuario is None:
        raise no_encontrado("la cuenta")
    clave_sesion = f"totp:{enlace.hash_testigo[:16]}"
    secreto = session.get(clave_sesion) or secreto_totp_nuevo()
    session[clave_sesion] = secreto
    error = None
    if request.method == "POST":
        try:
            datos = leer_formulario(ESQUEMA_ACTIVAR)
            activacion.consumir(bd(), testigo, "personal")
            personal.activar(bd(), usuario, datos["contrasena"], secreto, datos["codigo"])
        except ErrorServidor as e:
            error = e
        else:
            session.pop(clave_sesion, None)
            flash("Cuenta activada. Ya puede iniciar sesión.", "ok")
            return redirect(url_for("personal.acceso"))
    uri = uri_totp(secreto, usuario.usuario)
    return render_template(
        "personal/activar.html", usuario=usuario, secreto=secreto, qr=qr_data_uri(uri), error=error
    ), (error.estado if error else 200)


@paginas.get("/bitacora")
@requiere_rol(Rol.ADMINISTRADOR, Rol.AUDITOR)
def ver_bitacora() -> ResponseReturnValue:
    try:
        n = bitacora.verificar_cadena(bd())
        integra = True
    except ValueError:
        n, integra = 0, False
    filas = bd().scalars(select(EntradaBitacora).order_by(EntradaBitacora.id.desc()).limit(500)).all()
    return render_template("personal/bitacora.html", entradas=filas, total=n, integra=integra)


# ---------------------------------------------------------------- API /api/v1


@api.post("/sesion")
def api_sesion() -> ResponseReturnValue:
    usuario, testigo = _acceder(leer_json(ESQUEMA_ACCESO))
    return jsonify(
        {
            "testigo": testigo,
            "rol": usuario.rol,
            "usuario": usuario.usuario,
            "expira_en_s": configuracion().duracion_sesion_s,
        }
    ), 201


@api.delete("/sesion")
@requiere_rol(*Rol)
def api_cerrar_sesion() -> ResponseReturnValue:
    _anotar_cierre(sesiones.cerrar(bd(), request.headers["Authorization"][7:].strip()))
    return jsonify({"cerrada": True})


def _anotar_cierre(cerrada: sesiones.SesionVigente | None) -> None:
    if cerrada is None or cerrada.sujeto_tipo != "personal":
        return
    usuario = bd().get(Usuario, cerrada.sujeto_id)
    if usuario is not None:
        bitacora.anotar(bd(), actor(usuario), usuario.rol, "cerrar_sesion", f"usuario:{usuario.id}")


@api.post("/personal/usuarios")
@requiere_rol(Rol.ADMINISTRADOR)
def api_alta() -> ResponseReturnValue:
    nuevo = _alta(leer_json(ESQUEMA_ALTA))
    return jsonify({"id": nuevo.id, "usuario": nuevo.usuario, "rol": nuevo.rol, "activo": nuevo.activo}), 201


@api.post("/personal/activar")
def api_activar() -> ResponseReturnValue:
    datos = leer_json(ESQUEMA_ACTIVAR_API)
    secreto = validar_secreto_totp(datos["totp_secreto"])
    enlace = activacion.consumir(bd(), datos["testigo"], "personal")
    usuario = bd().get(Usuario, enlace.sujeto_id)
    if usuario is None:
        raise no_encontrado("la cuenta")
    personal.activar(bd(), usuario, datos["contrasena"], secreto, datos["codigo"])
    return jsonify({"usuario": usuario.usuario, "activo": True})


@api.get("/bitacora")
@requiere_rol(Rol.ADMINISTRADOR, Rol.AUDITOR)
def api_bitacora() -> ResponseReturnValue:
    filas = bd().scalars(select(EntradaBitacora).order_by(EntradaBitacora.id)).all()
    try:
        bitacora.verificar_cadena(bd())
        integra, problema = True, ""
    except ValueError as e:  # alterada por fuera del servidor: se muestra, no se esconde tras un 500
        integra, problema = False, str(e)
    return jsonify(
        {
            "integra": integra,
            "problema": problema,
            "total": len(filas),
            "entradas": [
                {
                    "id": e.id,
                    "momento": e.momento.isoformat(),
                    "actor": e.actor,
                    "rol": e.rol,
                    "accion": e.accion,
                    "objeto": e.objeto,
                    "detalles": e.detalles,
                    "hash_anterior": e.hash_anterior,
                    "hash": e.hash,
                }
                for e in filas
            ],
        }
    )

"""SRVE: solicitud de inscripción, seguimiento, subsanación, recuperación de folio (públicos),
bandeja y dictaminación (operador), captura por INETEL; páginas y API ``/api/v1/srve`` (§15)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from ..bd.base import ahora
from ..bd.srve import Solicitud
from ..dominio import bitacora, limites
from ..dominio import solicitudes as dominio
from ..dominio.catalogos import (
    CAMPOS_SUBSANABLES,
    ENTIDADES,
    ESTADOS,
    MODALIDADES,
    MOTIVOS_IMPROCEDENCIA,
    PAISES,
    PAISES_RESIDENCIA,
    TIPOS_CREDENCIAL,
)
from ..dominio.roles import Rol
from ..dominio.validacion_srve import CAMPOS_OPCIONALES, CAMPOS_SOLICITUD, validar_solicitud
from ..dominio.validacion_srve import correo as validar_correo
from ..errores import Codigo, ErrorServidor, no_encontrado
from .contexto import bd, configuracion
from .entrada import Campo, cuerpo_json, leer_formulario, leer_json, validar
from .seguridad import actor, ip_cliente, registrar_fallos, requiere_rol

paginas = Blueprint("srve", __name__, url_prefix="/srve")
api = Blueprint("api_srve", __name__, url_prefix="/api/v1/srve")

ESQUEMA_SOLICITUD = {
    c: Campo(requerido=c not in CAMPOS_OPCIONALES, max_largo=254 if c == "correo" else 200) for c in CAMPOS_SOLICITUD
}
ESQUEMA_SEGUIMIENTO = {"folio": Campo(max_largo=40), "correo": Campo(max_largo=254)}
ESQUEMA_RECUPERAR = {"correo": Campo(max_largo=254)}
ESQUEMA_SUBSANAR_API = {"folio": Campo(max_largo=40), "correo": Campo(max_largo=254), "correcciones": Campo(dict)}
ESQUEMA_DICTAMEN = {
    "resultado": Campo(max_largo=32),
    "motivo": Campo(requerido=False, max_largo=40),
    "campos": Campo(list, requerido=False),
    "observaciones": Campo(requerido=False, max_largo=1000),
}

ROLES_LECTURA = (Rol.OPERADOR, Rol.AUDITOR, Rol.ADMINISTRADOR)

# (15.29) y (15.30): límites propios de las consultas públicas.
MAX_FALLAS_SEGUIMIENTO = 10
MAX_RECUPERACIONES_IP = 5
MAX_RECUPERACIONES_CORREO = 3


def _url() -> str:
    return configuracion().url_publica


def _catalogos() -> dict[str, Any]:
    return {
        "entidades": ENTIDADES,
        "paises": PAISES_RESIDENCIA,
        "modalidades": MODALIDADES,
        "tipos_credencial": TIPOS_CREDENCIAL,
        "motivos": MOTIVOS_IMPROCEDENCIA,
        "campos": CAMPOS_SUBSANABLES,
        "estados": ESTADOS,
        "todos_paises": PAISES,
    }


# ---------------------------------------------------------------- operaciones comunes a páginas y API


def _alta(datos: dict[str, str], *, canal_evento: str) -> Solicitud:
    """(15.1): valida (15.7)–(15.20) y da de alta por el portal (o por la API pública)."""
    validos = validar_solicitud(datos, ahora().date())
    return dominio.crear(
        bd(), validos, canal="portal", canal_evento=canal_evento, actor="ciudadano", url_publica=_url()
    )


def _alta_inetel(datos: dict[str, str]) -> Solicitud:
    """(15.37): la misma validación; canal inetel y quién la capturó."""
    validos = validar_solicitud(datos, ahora().date())
    return dominio.crear(
        bd(),
        validos,
        canal="inetel",
        canal_evento="inetel",
        actor=actor(g.usuario),
        capturada_por=g.usuario.id,
        rol_actor=g.usuario.rol,
        url_publica=_url(),
    )


def _localizar(folio: str, correo: str) -> Solicitud:
    """(15.28)–(15.29): folio + correo, con límite de fallas por dirección IP."""
    clave = f"srve-seguimiento-ip:{ip_cliente()}"
    cfg = configuracion()
    limites.comprobar(bd(), clave, MAX_FALLAS_SEGUIMIENTO, cfg.ventana_intentos_s)
    try:
        s = dominio.buscar(bd(), folio, correo, _url())
    except ErrorServidor:
        registrar_fallos([clave])
        raise
    if s is None:
        registrar_fallos([clave])
        raise ErrorServidor(Codigo.NO_ENCONTRADO, "No encontramos una solicitud con ese folio y ese correo.", 404)
    return s


def _recuperar(correo: str) -> None:
    """(15.30): cada intento cuenta; la respuesta no dice si el correo tiene una solicitud."""
    cfg = configuracion()
    normalizado = validar_correo(correo)
    claves = [
        (f"srve-recuperar-ip:{ip_cliente()}", MAX_RECUPERACIONES_IP),
        (f"srve-recuperar-correo:{normalizado}", MAX_RECUPERACIONES_CORREO),
    ]
    for clave, maximo in claves:
        limites.comprobar(bd(), clave, maximo, cfg.ventana_intentos_s)
    registrar_fallos([clave for clave, _ in claves])
    dominio.recuperar_folio(bd(), normalizado, _url())


def _dictaminar(folio: str, datos: dict[str, Any], canal: str) -> Solicitud:
    s = _solicitud(folio)
    dictamen = dominio.validar_dictamen(
        datos.get("resultado", ""), datos.get("motivo"), datos.get("campos"), datos.get("observaciones")
    )
    dominio.dictaminar(
        bd(),
        s,
        dictamen,
        actor=actor(g.usuario),
        rol=g.usuario.rol,
        canal=canal,
        plazo_subsanar_s=configuracion().plazo_subsanar_s,
        url_publica=_url(),
    )
    return s


def _solicitud(folio: str) -> Solicitud:
    s = dominio.por_folio(bd(), folio)
    if s is None:
        raise no_encontrado("la solicitud")
    return s


def _consultar(s: Solicitud) -> None:
    """(15.36): consultar los datos personales de una solicitud es una acción del personal (18.6)."""
    bitacora.anotar(
        bd(), actor(g.usuario), g.usuario.rol, "consultar_solicitud", f"solicitud:{s.folio}", {"folio": s.folio}
    )


def _estado_filtro(valor: str | None) -> str | None:
    if not valor:
        return None
    if valor not in ESTADOS:
        raise ErrorServidor(Codigo.VALOR_INVALIDO, "Estado desconocido.", 400, campo="estado")
    return valor


def _pagina(valor: str | None) -> int:
    try:
        pagina = int(valor or "1")
    except ValueError:
        pagina = 0
    if not 1 <= pagina <= 100_000:
        raise ErrorServidor(Codigo.VALOR_INVALIDO, "Número de página inválido.", 400, campo="pagina")
    return pagina


# ---------------------------------------------------------------- páginas públicas


@paginas.route("/solicitud", methods=["GET", "POST"])
def nueva() -> ResponseReturnValue:
    error, datos = None, {}
    if request.method == "POST":
        datos = {k: v for k, v in request.form.items() if k != "_csrf"}
        try:
            s = _alta(leer_formulario(ESQUEMA_SOLICITUD), canal_evento="web")
        except ErrorServidor as e:
            error = e
        else:
            session["folio_recibido"] = s.folio
            return redirect(url_for("srve.recibida"))
    return render_template("srve/nueva.html", datos=datos, error=error, inetel=False, **_catalogos()), (
        error.estado if error else 200
    )


@paginas.get("/solicitud/recibida")
def recibida() -> ResponseReturnValue:
    folio = session.get("folio_recibido")
    if not folio:
        return redirect(url_for("srve.nueva"))
    return render_template("srve/recibida.html", folio=folio)


@paginas.route("/seguimiento", methods=["GET", "POST"])
def seguimiento() -> ResponseReturnValue:
    error, resultado, datos = None, None, {}
    if request.method == "POST":
        datos = {k: v for k, v in request.form.items() if k != "_csrf"}
        try:
            entrada = leer_formulario(ESQUEMA_SEGUIMIENTO)
            s = _localizar(entrada["folio"], entrada["correo"])
        except ErrorServidor as e:
            error = e
        else:
            resultado = dominio.vista_publica(s)
            datos = {"folio": s.folio, "correo": s.correo, **{f"nuevo_{k}": v for k, v in dominio.datos_de(s).items()}}
    return render_template("srve/seguimiento.html", error=error, resultado=resultado, datos=datos, **_catalogos()), (
        error.estado if error else 200
    )


@paginas.post("/subsanar")
def subsanar() -> ResponseReturnValue:
    """(15.33) desde la página de seguimiento: ``folio``, ``correo`` y ``nuevo_<campo>`` por campo señalado."""
    formulario = {k: v for k, v in request.form.items() if k != "_csrf"}
    correcciones = {k[len("nuevo_") :]: v for k, v in formulario.items() if k.startswith("nuevo_")}
    try:
        entrada = validar({k: v for k, v in formulario.items() if not k.startswith("nuevo_")}, ESQUEMA_SEGUIMIENTO)
        s = _localizar(entrada["folio"], entrada["correo"])
    except ErrorServidor as e:
        return render_template(
            "srve/seguimiento.html", error=e, resultado=None, datos=formulario, **_catalogos()
        ), e.estado
    try:
        dominio.subsanar(bd(), s, correcciones, canal="web", url_publica=_url())
    except ErrorServidor as e:
        return render_template(
            "srve/seguimiento.html", error=e, resultado=dominio.vista_publica(s), datos=formulario, **_catalogos()
        ), e.estado
    flash("Recibimos sus correcciones; su solicitud volvió a revisión.", "ok")
    return render_template(
        "srve/seguimiento.html",
        error=None,
        resultado=dominio.vista_publica(s),
        datos={"folio": s.folio, "correo": s.correo},
        **_catalogos(),
    )


@paginas.route("/recuperar-folio", methods=["GET", "POST"])
def recuperar_folio() -> ResponseReturnValue:
    error, enviado = None, False
    if request.method == "POST":
        try:
            _recuperar(leer_formulario(ESQUEMA_RECUPERAR)["correo"])
        except ErrorServidor as e:
            error = e
        else:
            enviado = True
    return render_template("srve/recuperar.html", error=error, enviado=enviado), (error.estado if error else 200)


# ---------------------------------------------------------------- páginas del personal


@paginas.get("/bandeja")
@requiere_rol(*ROLES_LECTURA)
def bandeja() -> ResponseReturnValue:
    estado = _estado_filtro(request.args.get("estado"))
    pagina = _pagina(request.args.get("pagina"))
    dominio.vencer_plazos(bd(), _url())
    filas, total = dominio.listar(bd(), estado, pagina)
    return render_template(
        "srve/bandeja.html",
        filas=filas,
        total=total,
        estado=estado,
        pagina=pagina,
        paginas_totales=max(1, -(-total // 50)),
        **_catalogos(),
    )


@paginas.get("/bandeja/<folio>")
@requiere_rol(*ROLES_LECTURA)
def detalle(folio: str) -> ResponseReturnValue:
    s = _solicitud(folio)
    dominio.vencer_si_corresponde(bd(), s, _url())
    _consultar(s)
    return render_template(
        "srve/detalle.html",
        s=s,
        vista=dominio.vista_personal(s),
        error=None,
        puede_dictaminar=g.usuario.rol == Rol.OPERADOR.value,
        **_catalogos(),
    )


@paginas.post("/bandeja/<folio>/dictamen")
@requiere_rol(Rol.OPERADOR)
def dictaminar(folio: str) -> ResponseReturnValue:
    datos: dict[str, Any] = {k: v for k, v in request.form.items() if k not in ("_csrf", "campos")}
    if request.form.getlist("campos"):
        datos["campos"] = request.form.getlist("campos")
    try:
        s = _dictaminar(folio, validar(datos, ESQUEMA_DICTAMEN), "web")
    except ErrorServidor as e:
        if e.codigo is Codigo.NO_ENCONTRADO:
            raise
        s = _solicitud(folio)
        return render_template(
            "srve/detalle.html", s=s, vista=dominio.vista_personal(s), error=e, puede_dictaminar=True, **_catalogos()
        ), e.estado
    flash(f"Dictamen registrado: {s.folio} → {ESTADOS[s.estado]}.", "ok")
    return redirect(url_for("srve.bandeja", estado="en_revision"))


@paginas.route("/inetel", methods=["GET", "POST"])
@requiere_rol(Rol.OPERADOR_INETEL)
def inetel() -> ResponseReturnValue:
    error, datos = None, {}
    if request.method == "POST":
        datos = {k: v for k, v in request.form.items() if k != "_csrf"}
        try:
            s = _alta_inetel(leer_formulario(ESQUEMA_SOLICITUD))
        except ErrorServidor as e:
            error = e
        else:
            flash(f"Solicitud capturada con folio {s.folio}. Se envió la confirmación a {s.correo}.", "ok")
            return redirect(url_for("srve.inetel"))
    return render_template("srve/nueva.html", datos=datos, error=error, inetel=True, **_catalogos()), (
        error.estado if error else 200
    )


# ---------------------------------------------------------------- API /api/v1/srve


@api.get("/catalogos")
def api_catalogos() -> ResponseReturnValue:
    return jsonify(
        {
            "entidades": ENTIDADES,
            "paises": PAISES_RESIDENCIA,
            "modalidades": MODALIDADES,
            "tipos_credencial": TIPOS_CREDENCIAL,
            "motivos_improcedencia": MOTIVOS_IMPROCEDENCIA,
            "campos_subsanables": CAMPOS_SUBSANABLES,
            "estados": ESTADOS,
        }
    )


def _creada(s: Solicitud) -> ResponseReturnValue:
    return jsonify(
        {
            "folio": s.folio,
            "estado": s.estado,
            "canal": s.canal,
            "correo": s.correo,
            "telefono": s.telefono,
            "clave_elector": s.clave_elector,
        }
    ), 201


@api.post("/solicitudes")
def api_solicitud() -> ResponseReturnValue:
    return _creada(_alta(leer_json(ESQUEMA_SOLICITUD), canal_evento="api"))


@api.post("/inetel/solicitudes")
@requiere_rol(Rol.OPERADOR_INETEL)
def api_inetel() -> ResponseReturnValue:
    return _creada(_alta_inetel(leer_json(ESQUEMA_SOLICITUD)))


@api.post("/seguimiento")
def api_seguimiento() -> ResponseReturnValue:
    datos = leer_json(ESQUEMA_SEGUIMIENTO)
    return jsonify(dominio.vista_publica(_localizar(datos["folio"], datos["correo"])))


@api.post("/subsanar")
def api_subsanar() -> ResponseReturnValue:
    datos = leer_json(ESQUEMA_SUBSANAR_API)
    s = _localizar(datos["folio"], datos["correo"])
    dominio.subsanar(bd(), s, datos["correcciones"], canal="api", url_publica=_url())
    return jsonify(dominio.vista_publica(s))


@api.post("/recuperar-folio")
def api_recuperar() -> ResponseReturnValue:
    _recuperar(leer_json(ESQUEMA_RECUPERAR)["correo"])
    return jsonify({"mensaje": MENSAJE_RECUPERACION}), 202


MENSAJE_RECUPERACION = (
    "Si hay una solicitud activa con ese correo, le enviamos su folio. Revise su bandeja de "
    "entrada y la carpeta de correo no deseado."
)


@api.get("/solicitudes")
@requiere_rol(*ROLES_LECTURA)
def api_listar() -> ResponseReturnValue:
    desconocidos = sorted(set(request.args) - {"estado", "pagina"})
    if desconocidos:
        raise ErrorServidor(
            Codigo.CAMPO_DESCONOCIDO, f"Parámetro desconocido: «{desconocidos[0]}».", campo=desconocidos[0]
        )
    estado = _estado_filtro(request.args.get("estado"))
    pagina = _pagina(request.args.get("pagina"))
    dominio.vencer_plazos(bd(), _url())
    filas, total = dominio.listar(bd(), estado, pagina, 100)
    return jsonify(
        {
            "total": total,
            "pagina": pagina,
            "por_pagina": 100,
            "solicitudes": [
                {
                    "folio": s.folio,
                    "estado": s.estado,
                    "canal": s.canal,
                    "modalidad": s.modalidad,
                    "entidad": s.entidad,
                    "pais": s.pais,
                    "creada": s.creada.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "actualizada": s.actualizada.strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
                for s in filas
            ],
        }
    )


@api.get("/solicitudes/<folio>")
@requiere_rol(*ROLES_LECTURA)
def api_detalle(folio: str) -> ResponseReturnValue:
    s = _solicitud(folio)
    dominio.vencer_si_corresponde(bd(), s, _url())
    _consultar(s)
    return jsonify(dominio.vista_personal(s))


@api.post("/solicitudes/<folio>/dictamen")
@requiere_rol(Rol.OPERADOR)
def api_dictamen(folio: str) -> ResponseReturnValue:
    datos = validar(cuerpo_json(), ESQUEMA_DICTAMEN)
    if "campos" in datos and not all(isinstance(c, str) for c in datos["campos"]):
        raise ErrorServidor(Codigo.TIPO_INVALIDO, "«campos» debe ser una lista de textos.", campo="campos")
    s = _dictaminar(folio, datos, "api")
    return jsonify(dominio.vista_personal(s))

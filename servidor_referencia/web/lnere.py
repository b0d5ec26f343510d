"""LNERE: cortes versionados, conteos, lista completa y módulo de comparación (§16).

Lo público para todo rol de lectura (incluidos representantes de partido y la autoridad de
credenciales): cada corte con su modalidad, versión, número de registros, código de
integridad y fecha, y sus conteos por entidad y por país.  La lista con datos personales y el
documento canónico, solo para ``ROLES_LISTA_COMPLETA`` (16.15); los demás reciben 403.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..bd.lnere import CorteLNERE
from ..dominio import bitacora, lnere
from ..dominio.catalogos import ENTIDADES, PAISES
from ..dominio.lnere_canonica import Comparacion
from ..dominio.roles import ROLES_LISTA_COMPLETA, Rol
from ..errores import Codigo, ErrorServidor
from .contexto import bd
from .entrada import Campo, leer_formulario, leer_json
from .seguridad import actor, requiere_rol

paginas = Blueprint("lnere", __name__, url_prefix="/lnere")
api = Blueprint("api_lnere", __name__, url_prefix="/api/v1/lnere")

# (16.15) Quién lee qué.
ROLES_LECTURA = (Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.AUDITOR, Rol.REPRESENTANTE, Rol.AUTORIDAD_CREDENCIALES)
ROLES_COMPLETA = tuple(sorted(ROLES_LISTA_COMPLETA, key=lambda r: r.value))
POR_PAGINA = 200
# Un documento de un corte grande (≈ 150 000 electores) pesa unos 40 MB: las cargas para
# comparar tienen su propio límite, mayor que el general de 256 KiB.
LIMITE_DOCUMENTO = 64 * 1024 * 1024
TIPO_DOCUMENTO = "application/x-ndjson"

ESQUEMA_CORTE = {"modalidad": Campo(max_largo=16)}
ESQUEMA_COMPARAR_API = {"corte_a": Campo(int), "corte_b": Campo(int)}
ESQUEMA_COMPARAR_PAGINA = {"corte_a": Campo(max_largo=12), "corte_b": Campo(requerido=False, max_largo=12)}


def _lista_completa() -> bool:
    return Rol(g.usuario.rol) in ROLES_LISTA_COMPLETA


def _anotar(accion: str, corte: CorteLNERE, detalles: dict[str, Any] | None = None) -> None:
    bitacora.anotar(
        bd(),
        actor(g.usuario),
        g.usuario.rol,
        accion,
        f"corte_lnere:{corte.id}",
        {"modalidad": corte.modalidad, "version": corte.version, **(detalles or {})},
    )


def _crear(datos: dict[str, Any]) -> CorteLNERE:
    return lnere.crear_corte(bd(), datos["modalidad"], g.usuario.id, actor(g.usuario), g.usuario.rol)


def _descarga(corte: CorteLNERE) -> Response:
    """(16.15): el documento canónico exacto; su SHA-256 es el código de integridad del corte."""
    _anotar("lnere.descargar_documento", corte, {"codigo_integridad": corte.codigo_integridad})
    nombre = f"lnere-{corte.modalidad}-v{corte.version}.jsonl"
    return Response(
        corte.documento,
        mimetype=TIPO_DOCUMENTO,
        headers={
            "Content-Disposition": f'attachment; filename="{nombre}"',
            "X-Codigo-Integridad": corte.codigo_integridad,
        },
    )


def _comparacion_anotada(corte_a: CorteLNERE, resultado: Comparacion, contra: str) -> dict[str, Any]:
    _anotar(
        "lnere.comparar",
        corte_a,
        {
            "contra": contra,
            "codigo_a": resultado.codigo_a,
            "codigo_b": resultado.codigo_b,
            "resultado": resultado.resultado,
        },
    )
    return resultado.como_json(con_claves=_lista_completa())


def _leer_id(texto: str, campo: str) -> int:
    if not texto.isascii() or not texto.isdigit():
        raise ErrorServidor(Codigo.TIPO_INVALIDO, f"El campo «{campo}» debe ser el número de un corte.", campo=campo)
    return int(texto)


# ------------------------------------------------------------------------------ páginas


@paginas.url_value_preprocessor
def _limite_de_carga(endpoint: str | None, _valores: dict[str, Any] | None) -> None:
    """Corre antes de la revisión CSRF (que lee el formulario): solo la página de comparar
    acepta un archivo grande."""
    if endpoint == "lnere.comparar":
        request.max_content_length = LIMITE_DOCUMENTO


@paginas.get("/cortes")
@requiere_rol(*ROLES_LECTURA)
def cortes() -> ResponseReturnValue:
    return _pagina_cortes(None)


def _pagina_cortes(error: ErrorServidor | None) -> ResponseReturnValue:
    return render_template(
        "lnere/cortes.html",
        cortes=lnere.listar_cortes(bd()),
        error=error,
        modalidades=lnere.NOMBRES_MODALIDAD,
        puede_crear=g.usuario.rol == Rol.ADMINISTRADOR.value,
        lista_completa=_lista_completa(),
    ), (error.estado if error else 200)


@paginas.post("/cortes/nuevo")
@requiere_rol(Rol.ADMINISTRADOR)
def crear() -> ResponseReturnValue:
    try:
        corte = _crear(leer_formulario(ESQUEMA_CORTE))
    except ErrorServidor as e:
        bd().rollback()
        return _pagina_cortes(e)
    flash(
        f"Corte {lnere.NOMBRES_MODALIDAD[corte.modalidad]} versión {corte.version} creado con "
        f"{corte.num_registros} registros.",
        "ok",
    )
    return redirect(url_for("lnere.corte", corte_id=corte.id))


@paginas.get("/cortes/<int:corte_id>")
@requiere_rol(*ROLES_LECTURA)
def corte(corte_id: int) -> ResponseReturnValue:
    fila = lnere.obtener_corte(bd(), corte_id)
    return render_template(
        "lnere/corte.html",
        corte=fila,
        conteos=lnere.conteos(bd(), fila),
        integro=lnere.verificar_corte(bd(), fila),
        lista_completa=_lista_completa(),
        modalidades=lnere.NOMBRES_MODALIDAD,
        entidades=ENTIDADES,
        paises=PAISES,
    )


@paginas.get("/cortes/<int:corte_id>/registros")
@requiere_rol(*ROLES_COMPLETA)
def registros(corte_id: int) -> ResponseReturnValue:
    fila = lnere.obtener_corte(bd(), corte_id)
    pagina = request.args.get("pagina", "1")
    numero = _leer_id(pagina, "pagina") if pagina else 1
    paginas_total = max(1, -(-fila.num_registros // POR_PAGINA))
    numero = min(max(numero, 1), paginas_total)
    _anotar("lnere.consultar_registros", fila, {"pagina": numero})
    return render_template(
        "lnere/registros.html",
        corte=fila,
        pagina=numero,
        paginas=paginas_total,
        registros=lnere.registros(bd(), fila, (numero - 1) * POR_PAGINA, POR_PAGINA),
        modalidades=lnere.NOMBRES_MODALIDAD,
    )


@paginas.get("/cortes/<int:corte_id>/documento")
@requiere_rol(*ROLES_COMPLETA)
def descargar(corte_id: int) -> ResponseReturnValue:
    return _descarga(lnere.obtener_corte(bd(), corte_id))


@paginas.route("/comparar", methods=["GET", "POST"])
@requiere_rol(*ROLES_LECTURA)
def comparar() -> ResponseReturnValue:
    error, resultado, corte_a, contra = None, None, None, ""
    if request.method == "POST":
        try:
            datos = leer_formulario(ESQUEMA_COMPARAR_PAGINA)
            corte_a = lnere.obtener_corte(bd(), _leer_id(datos["corte_a"], "corte_a"))
            archivo = request.files.get("archivo")
            tiene_archivo = archivo is not None and bool(archivo.filename)
            if tiene_archivo == ("corte_b" in datos):
                raise ErrorServidor(
                    Codigo.CAMPO_FALTANTE,
                    "Elija otro corte o cargue un documento para comparar (solo una de las dos).",
                    campo="corte_b",
                )
            if archivo is not None and tiene_archivo:
                comparacion = lnere.comparar_con_documento(corte_a, archivo.read())
                contra = f"documento cargado «{archivo.filename}»"
                anotado = "documento_externo"
            else:
                corte_b = lnere.obtener_corte(bd(), _leer_id(datos["corte_b"], "corte_b"))
                comparacion = lnere.comparar_cortes(corte_a, corte_b)
                contra = f"corte {lnere.NOMBRES_MODALIDAD[corte_b.modalidad]} versión {corte_b.version}"
                anotado = f"corte_lnere:{corte_b.id}"
            resultado = _comparacion_anotada(corte_a, comparacion, anotado)
        except ErrorServidor as e:
            bd().rollback()
            error, resultado = e, None
    return render_template(
        "lnere/comparar.html",
        cortes=lnere.listar_cortes(bd()),
        error=error,
        resultado=resultado,
        corte_a=corte_a,
        contra=contra,
        lista_completa=_lista_completa(),
        modalidades=lnere.NOMBRES_MODALIDAD,
    ), (error.estado if error else 200)


# ------------------------------------------------------------------------ API /api/v1/lnere


@api.get("/cortes")
@requiere_rol(*ROLES_LECTURA)
def api_cortes() -> ResponseReturnValue:
    modalidad = request.args.get("modalidad") or None
    return jsonify({"cortes": [lnere.resumen(c) for c in lnere.listar_cortes(bd(), modalidad)]})


@api.post("/cortes")
@requiere_rol(Rol.ADMINISTRADOR)
def api_crear() -> ResponseReturnValue:
    return jsonify(lnere.resumen(_crear(leer_json(ESQUEMA_CORTE)))), 201


@api.get("/cortes/<int:corte_id>")
@requiere_rol(*ROLES_LECTURA)
def api_corte(corte_id: int) -> ResponseReturnValue:
    fila = lnere.obtener_corte(bd(), corte_id)
    return jsonify({**lnere.resumen(fila), **lnere.conteos(bd(), fila)})


@api.get("/cortes/<int:corte_id>/registros")
@requiere_rol(*ROLES_COMPLETA)
def api_registros(corte_id: int) -> ResponseReturnValue:
    fila = lnere.obtener_corte(bd(), corte_id)
    _anotar("lnere.consultar_registros", fila)
    documento = lnere.documento(fila)
    return jsonify({**lnere.resumen(fila), "registros": [r.como_json() for r in documento.registros]})


@api.get("/cortes/<int:corte_id>/documento")
@requiere_rol(*ROLES_COMPLETA)
def api_documento(corte_id: int) -> ResponseReturnValue:
    return _descarga(lnere.obtener_corte(bd(), corte_id))


@api.post("/comparar")
@requiere_rol(*ROLES_LECTURA)
def api_comparar() -> ResponseReturnValue:
    """(16.12) Compara dos cortes guardados: A = ``corte_a``, B = ``corte_b``."""
    datos = leer_json(ESQUEMA_COMPARAR_API)
    corte_a = lnere.obtener_corte(bd(), datos["corte_a"])
    corte_b = lnere.obtener_corte(bd(), datos["corte_b"])
    resultado = lnere.comparar_cortes(corte_a, corte_b)
    return jsonify(_comparacion_anotada(corte_a, resultado, f"corte_lnere:{corte_b.id}"))


@api.post("/cortes/<int:corte_id>/comparar")
@requiere_rol(*ROLES_LECTURA)
def api_comparar_documento(corte_id: int) -> ResponseReturnValue:
    """(16.12) Compara el corte guardado (A) con un documento canónico cargado en otro lado (B),
    enviado tal cual como cuerpo de la petición."""
    if request.mimetype not in (TIPO_DOCUMENTO, "application/octet-stream"):
        raise ErrorServidor(
            Codigo.TIPO_CONTENIDO,
            f"El documento se envía tal cual, como {TIPO_DOCUMENTO} o application/octet-stream.",
            415,
        )
    request.max_content_length = LIMITE_DOCUMENTO
    corte_a = lnere.obtener_corte(bd(), corte_id)
    resultado = lnere.comparar_con_documento(corte_a, request.get_data(cache=False))
    return jsonify(_comparacion_anotada(corte_a, resultado, "documento_externo"))

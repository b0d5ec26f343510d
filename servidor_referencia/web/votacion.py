"""SIVEI: apertura, votación y tablero público (§20).

Páginas bajo ``/sivei/apertura``, ``/sivei/tablero``; API bajo ``/api/v1/sivei/apertura``,
``/api/v1/sivei/votacion`` y ``/api/v1/sivei/tablero`` (rutas y formas en §20.5).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..dominio import apertura, tablero_servidor, verificacion_paralela, votacion
from ..dominio.roles import Rol
from ..errores import Codigo, ErrorServidor, no_encontrado
from .contexto import bd, fabrica
from .entrada import Campo, leer_formulario, leer_json
from .seguridad import actor, requiere_elector, requiere_rol

paginas = Blueprint("votacion", __name__, url_prefix="/sivei")
api = Blueprint("api_votacion", __name__, url_prefix="/api/v1/sivei")

ESQUEMA_APERTURA = {
    "corte": Campo(int),
    "inicio": Campo(requerido=False, max_largo=40),
    "fin": Campo(max_largo=40),
}
ESQUEMA_APERTURA_PAGINA = {
    "corte": Campo(max_largo=12),
    "inicio": Campo(requerido=False, max_largo=40),
    "fin": Campo(max_largo=40),
}
ESQUEMA_DEPOSITO = {"boleta": Campo(dict)}
ESQUEMA_DESAFIO = {"boleta": Campo(dict), "apertura": Campo(dict)}


def _fecha(valor: str | None, campo: str) -> datetime | None:
    """Fecha y hora ISO 8601 con zona (p. ej. ``2027-06-06T08:00:00Z``)."""
    if valor is None:
        return None
    try:
        fecha = datetime.fromisoformat(valor.replace("Z", "+00:00"))
    except ValueError:
        fecha = None
    if fecha is None or fecha.tzinfo is None:
        raise ErrorServidor(
            Codigo.VALOR_INVALIDO, f"«{campo}» debe ser fecha y hora ISO 8601 con zona horaria.", campo=campo
        )
    return fecha.astimezone(UTC)


def _acta_publica(proceso_id: int) -> dict[str, Any]:
    documento, posicion = apertura.acta_de(bd(), proceso_id)
    proceso = apertura.proceso_de(bd(), proceso_id)
    return {
        "proceso": proceso_id,
        "nombre": proceso.nombre,
        "acta": documento,
        "posicion": posicion,
        "corte": proceso.corte_id,
        "inicio": proceso.inicio_votacion.isoformat() if proceso.inicio_votacion else None,
        "fin": proceso.fin_votacion.isoformat() if proceso.fin_votacion else None,
        # (20.8) Urna vacía: el acta precede a toda boleta del tablero.
        "boletas_en_urna": 0,
    }


# ---------------------------------------------------------------- API: apertura


@api.get("/apertura/<int:proceso_id>/revision")
@requiere_rol(Rol.ADMINISTRADOR, Rol.AUDITOR)
def api_revision(proceso_id: int) -> ResponseReturnValue:
    """(20.1)–(20.6) sin abrir: lo que la apertura comprobaría, con todos los hashes."""
    corte = request.args.get("corte", "")
    if not corte.isdigit():
        raise ErrorServidor(Codigo.VALOR_INVALIDO, "Indique el corte con ?corte=N.", campo="corte")
    return jsonify({"proceso": proceso_id, "correcta": True, **apertura.revisar(bd(), proceso_id, int(corte)).hashes()})


@api.post("/apertura/<int:proceso_id>")
@requiere_rol(Rol.ADMINISTRADOR)
def api_abrir(proceso_id: int) -> ResponseReturnValue:
    datos = leer_json(ESQUEMA_APERTURA)
    fin = _fecha(datos["fin"], "fin")
    assert fin is not None
    apertura.abrir(
        bd(),
        proceso_id,
        datos["corte"],
        _fecha(datos.get("inicio"), "inicio"),
        fin,
        actor=actor(g.usuario),
        rol=g.usuario.rol,
    )
    return jsonify({"estado": "abierta", **_acta_publica(proceso_id)}), 201


@api.get("/apertura/<int:proceso_id>/acta")
def api_acta(proceso_id: int) -> ResponseReturnValue:
    return jsonify(_acta_publica(proceso_id))


# ---------------------------------------------------------------- API: votación (elector)


def boleta_del_elector(proceso_id: int) -> ResponseReturnValue:
    """(20.16) La boleta del elector de la sesión (API y cabina, (24.7))."""
    return jsonify(votacion.boleta_para(bd(), proceso_id, g.elector))


def depositar_del_elector(proceso_id: int) -> ResponseReturnValue:
    """(20.11)–(20.15) Depósito de la boleta del elector de la sesión (API y cabina, (24.7))."""
    datos = leer_json(ESQUEMA_DEPOSITO)
    verificador = verificacion_paralela.de_la_app(current_app)  # (20.19)
    recibo = votacion.depositar(bd(), proceso_id, g.elector, datos["boleta"], verificador)
    return jsonify(recibo.como_dict()), 201


def desafiar_del_elector(proceso_id: int) -> ResponseReturnValue:
    """(20.17) Desafío de Benaloh del elector de la sesión (API y cabina, (24.12))."""
    datos = leer_json(ESQUEMA_DESAFIO)
    recibo, marcas = votacion.desafiar(bd(), proceso_id, g.elector, datos["boleta"], datos["apertura"])
    return jsonify({**recibo.como_dict(), "selecciones": {str(c): list(o) for c, o in sorted(marcas.items())}}), 201


@api.get("/votacion/<int:proceso_id>/boleta")
@requiere_elector
def api_boleta(proceso_id: int) -> ResponseReturnValue:
    return boleta_del_elector(proceso_id)


@api.post("/votacion/<int:proceso_id>/depositar")
@requiere_elector
def api_depositar(proceso_id: int) -> ResponseReturnValue:
    return depositar_del_elector(proceso_id)


@api.post("/votacion/<int:proceso_id>/desafiar")
@requiere_elector
def api_desafiar(proceso_id: int) -> ResponseReturnValue:
    return desafiar_del_elector(proceso_id)


# ---------------------------------------------------------------- API: tablero público


@api.get("/tablero/<int:proceso_id>")
def api_tablero(proceso_id: int) -> ResponseReturnValue:
    apertura.proceso_de(bd(), proceso_id)
    cabeza = tablero_servidor.cabeza(bd(), proceso_id)
    return jsonify({"proceso": proceso_id, "entradas": cabeza.entradas, "cabeza": cabeza.cabeza.upper()})


@api.get("/tablero/<int:proceso_id>/codigo/<codigo>")
def api_buscar_codigo(proceso_id: int, codigo: str) -> ResponseReturnValue:
    apertura.proceso_de(bd(), proceso_id)
    encontrado = votacion.buscar_codigo(bd(), proceso_id, codigo[:128])
    if encontrado is None:
        raise no_encontrado("ese código de confirmación en el tablero")
    return jsonify(encontrado)


@api.get("/tablero/<int:proceso_id>/tablero.jsonl")
def api_tablero_jsonl(proceso_id: int) -> ResponseReturnValue:
    """(20.9) El tablero tal cual, en el formato de ``tablero.jsonl``, por lotes en transacciones cortas."""
    apertura.proceso_de(bd(), proceso_id)
    lotes = fabrica()

    def generar() -> Any:
        yield from tablero_servidor.lineas_por_lotes(lotes, proceso_id)

    return Response(generar(), mimetype="application/x-ndjson")


# ---------------------------------------------------------------- páginas


@paginas.get("/apertura/<int:proceso_id>/acta")
def acta(proceso_id: int) -> ResponseReturnValue:
    datos = _acta_publica(proceso_id)
    return render_template("votacion/acta_inicio.html", datos=datos, texto=json.dumps(datos["acta"], indent=2))


@paginas.get("/tablero/<int:proceso_id>")
def tablero(proceso_id: int) -> ResponseReturnValue:
    proceso = apertura.proceso_de(bd(), proceso_id)
    cabeza = tablero_servidor.cabeza(bd(), proceso_id)
    codigo = request.args.get("codigo", "").strip()[:128]
    encontrado = votacion.buscar_codigo(bd(), proceso_id, codigo) if codigo else None
    return render_template(
        "votacion/tablero.html",
        proceso=proceso,
        cabeza=cabeza,
        codigo=codigo,
        encontrado=encontrado,
    )


@paginas.route("/apertura/<int:proceso_id>", methods=["GET", "POST"])
@requiere_rol(Rol.ADMINISTRADOR)
def abrir_pagina(proceso_id: int) -> ResponseReturnValue:
    """Página del administrador: revisa (20.1)–(20.6) para un corte y abre con la ventana (20.7)."""
    proceso = apertura.proceso_de(bd(), proceso_id)
    error: ErrorServidor | None = None
    revision: dict[str, Any] | None = None
    corte = request.args.get("corte", "")
    if request.method == "POST":
        try:
            datos = leer_formulario(ESQUEMA_APERTURA_PAGINA)
            corte = datos["corte"]
            if not corte.isdigit():
                raise ErrorServidor(Codigo.VALOR_INVALIDO, "El corte debe ser un número.", campo="corte")
            fin = _fecha(datos["fin"], "fin")
            assert fin is not None
            apertura.abrir(
                bd(),
                proceso_id,
                int(corte),
                _fecha(datos.get("inicio"), "inicio"),
                fin,
                actor=actor(g.usuario),
                rol=g.usuario.rol,
            )
        except ErrorServidor as e:
            error = e
        else:
            return redirect(url_for("votacion.acta", proceso_id=proceso_id))
    elif corte.isdigit() and proceso.estado == "llave_publicada":
        try:
            revision = apertura.revisar(bd(), proceso_id, int(corte)).hashes()
        except ErrorServidor as e:
            error = e
    return render_template("votacion/apertura.html", proceso=proceso, corte=corte, revision=revision, error=error), (
        error.estado if error else 200
    )

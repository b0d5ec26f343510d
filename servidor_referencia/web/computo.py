"""SIVEI: cierre, descifrado a través del servidor, resultados y actas de cómputo (§21).

Páginas bajo ``/sivei/resultados`` y ``/sivei/computo``; API bajo ``/api/v1/sivei/cierre``,
``/api/v1/sivei/computo`` y ``/api/v1/sivei/resultados`` (rutas y formas en §21.6).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..dominio import computo
from ..dominio import resultados as publicados
from ..dominio.roles import Rol
from ..errores import Codigo, ErrorServidor
from .contexto import bd, configuracion
from .entrada import Campo, leer_formulario, leer_json
from .seguridad import actor, requiere_rol

paginas = Blueprint("computo", __name__, url_prefix="/sivei")
api = Blueprint("api_computo", __name__, url_prefix="/api/v1/sivei")

#: Un descifrado parcial lleva 3 elementos de 4096 bits por cifrado del escrutinio.
LIMITE_DOCUMENTO = 16 * 1024 * 1024
ESQUEMA_VACIO: dict[str, Campo] = {}
ESQUEMA_RELEVO = {"custodio": Campo(int)}
ESQUEMA_RELEVO_PAGINA = {"custodio": Campo(max_largo=4)}
ESQUEMA_MENSAJE = {"ronda": Campo(int), "documento": Campo(max_largo=LIMITE_DOCUMENTO, recortar=False)}


# ---------------------------------------------------------------- API: cierre (administrador)


@api.post("/cierre/<int:proceso_id>")
@requiere_rol(Rol.ADMINISTRADOR)
def api_cerrar(proceso_id: int) -> ResponseReturnValue:
    """(21.1)–(21.4)."""
    leer_json(ESQUEMA_VACIO)
    fila = computo.cerrar(bd(), proceso_id, actor=actor(g.usuario), rol=g.usuario.rol)
    return jsonify({"h_t": fila.h_t, "boletas": fila.boletas, "estado": "cerrada"}), 201


@api.post("/computo/<int:proceso_id>/relevar")
@requiere_rol(Rol.ADMINISTRADOR)
def api_relevar(proceso_id: int) -> ResponseReturnValue:
    """(21.19) Relevo de un custodio del cuórum que calla más del plazo."""
    datos = leer_json(ESQUEMA_RELEVO)
    plazo = configuracion().plazo_relevo_custodio_s
    r = computo.relevar(bd(), proceso_id, datos["custodio"], plazo, actor=actor(g.usuario), rol=g.usuario.rol)
    return jsonify(r), 201


# ---------------------------------------------------------------- API: descifrado (custodios)


@api.get("/computo/<int:proceso_id>")
def api_estado(proceso_id: int) -> ResponseReturnValue:
    return jsonify(computo.estado(bd(), proceso_id))


@api.post("/computo/<int:proceso_id>/disponible")
@requiere_rol(Rol.CUSTODIO)
def api_disponible(proceso_id: int) -> ResponseReturnValue:
    """(21.5)–(21.6)."""
    leer_json(ESQUEMA_VACIO)
    return jsonify(computo.anunciar(bd(), proceso_id, g.usuario)), 201


@api.post("/computo/<int:proceso_id>/parcial")
@requiere_rol(Rol.CUSTODIO)
def api_parcial(proceso_id: int) -> ResponseReturnValue:
    """(21.7)–(21.8)."""
    request.max_content_length = LIMITE_DOCUMENTO + 4096
    datos = leer_json(ESQUEMA_MENSAJE)
    return jsonify(computo.recibir_parcial(bd(), proceso_id, g.usuario, datos["ronda"], datos["documento"])), 201


@api.post("/computo/<int:proceso_id>/reiniciar")
@requiere_rol(Rol.CUSTODIO)
def api_reiniciar(proceso_id: int) -> ResponseReturnValue:
    """(21.18)."""
    leer_json(ESQUEMA_VACIO)
    return jsonify(computo.reiniciar(bd(), proceso_id, g.usuario)), 201


@api.get("/computo/<int:proceso_id>/retos")
def api_retos(proceso_id: int) -> ResponseReturnValue:
    return jsonify(computo.retos(bd(), proceso_id))


@api.post("/computo/<int:proceso_id>/respuesta")
@requiere_rol(Rol.CUSTODIO)
def api_respuesta(proceso_id: int) -> ResponseReturnValue:
    """(21.9)–(21.11)."""
    request.max_content_length = LIMITE_DOCUMENTO + 4096
    datos = leer_json(ESQUEMA_MENSAJE)
    return jsonify(computo.recibir_respuesta(bd(), proceso_id, g.usuario, datos["ronda"], datos["documento"])), 201


# ---------------------------------------------------------------- API: resultados (públicos)


@api.get("/resultados/<int:proceso_id>")
def api_resultados(proceso_id: int) -> ResponseReturnValue:
    """(21.12) 409 hasta que el proceso está «computada»."""
    return jsonify(publicados.resultados(bd(), proceso_id))


@api.get("/resultados/<int:proceso_id>/participacion")
def api_participacion(proceso_id: int) -> ResponseReturnValue:
    """(21.13) Desde el cierre."""
    return jsonify({"proceso": proceso_id, "participacion": publicados.participacion(bd(), proceso_id)})


@api.get("/computo/<int:proceso_id>/acta")
def api_acta(proceso_id: int) -> ResponseReturnValue:
    return jsonify(publicados.acta_computo(bd(), proceso_id))


@api.get("/computo/<int:proceso_id>/acta/<entidad>")
def api_acta_entidad(proceso_id: int, entidad: str) -> ResponseReturnValue:
    """(21.14) Acta de cómputo de una entidad."""
    return jsonify(publicados.acta_computo(bd(), proceso_id, entidad[:2]))


# ---------------------------------------------------------------- páginas


def _barras(opciones: list[dict[str, Any]]) -> dict[str, Any]:
    """(21.15) Geometría de la gráfica de barras horizontales (SVG hecho en el servidor)."""
    maximo = max([o["votos"] for o in opciones] + [1])
    alto_fila, ancho = 22, 360
    barras = [
        {
            "y": i * alto_fila,
            "ancho": round(ancho * o["votos"] / maximo, 1),
            "texto_y": i * alto_fila + 15,
            "etiqueta": o["etiqueta"],
            "votos": o["votos"],
        }
        for i, o in enumerate(opciones)
    ]
    return {"barras": barras, "alto": alto_fila * len(opciones), "ancho_total": 240 + ancho + 60}


@paginas.get("/resultados/<int:proceso_id>")
def resultados(proceso_id: int) -> ResponseReturnValue:
    datos: dict[str, Any] | None = None
    participacion: dict[str, Any] | None = None
    aviso: str | None = None
    try:
        datos = publicados.resultados(bd(), proceso_id)
        participacion = datos["participacion"]
    except ErrorServidor as e:
        aviso = e.mensaje
        try:
            participacion = publicados.participacion(bd(), proceso_id)
        except ErrorServidor:
            participacion = None
    graficas = [_barras(c["opciones"]) for c in datos["contiendas"]] if datos else []
    return render_template(
        "computo/resultados.html",
        proceso_id=proceso_id,
        datos=datos,
        graficas=graficas,
        participacion=participacion,
        aviso=aviso,
    )


@paginas.get("/computo/<int:proceso_id>/acta/<entidad>")
def acta_entidad(proceso_id: int, entidad: str) -> ResponseReturnValue:
    """(21.14) Acta de cómputo de una entidad, para imprimir."""
    datos = publicados.acta_computo(bd(), proceso_id, entidad[:2])
    return render_template("computo/acta.html", datos=datos, texto=json.dumps(datos["acta"], indent=2))


@paginas.get("/computo/<int:proceso_id>/acta")
def acta(proceso_id: int) -> ResponseReturnValue:
    datos = publicados.acta_computo(bd(), proceso_id)
    return render_template("computo/acta.html", datos=datos, texto=json.dumps(datos["acta"], indent=2))


def _pagina_estado(proceso: Any, datos: dict[str, Any] | None, error: ErrorServidor | None) -> str:
    plazo_min = configuracion().plazo_relevo_custodio_s // 60
    return render_template("computo/estado.html", proceso=proceso, datos=datos, error=error, plazo_relevo_min=plazo_min)


@paginas.get("/computo/<int:proceso_id>")
def estado_pagina(proceso_id: int) -> ResponseReturnValue:
    """Estado público del cierre y del descifrado (21.12)."""
    proceso = computo.proceso_publico(bd(), proceso_id)
    datos = computo.estado(bd(), proceso_id) if proceso.estado in ("cerrada", "computada") else None
    return _pagina_estado(proceso, datos, None)


@paginas.post("/cierre/<int:proceso_id>")
@requiere_rol(Rol.ADMINISTRADOR)
def cerrar_pagina(proceso_id: int) -> ResponseReturnValue:
    """(21.1)–(21.4) desde la página del administrador."""
    try:
        leer_formulario(ESQUEMA_VACIO)
        computo.cerrar(bd(), proceso_id, actor=actor(g.usuario), rol=g.usuario.rol)
    except ErrorServidor as e:
        proceso = computo.proceso_publico(bd(), proceso_id)
        return _pagina_estado(proceso, None, e), e.estado
    return redirect(url_for("computo.estado_pagina", proceso_id=proceso_id))


@paginas.post("/computo/<int:proceso_id>/relevar")
@requiere_rol(Rol.ADMINISTRADOR)
def relevar_pagina(proceso_id: int) -> ResponseReturnValue:
    """(21.19) El relevo de un custodio que calla, desde la página del estado del cómputo."""
    try:
        datos = leer_formulario(ESQUEMA_RELEVO_PAGINA)
        if not datos["custodio"].isdigit():
            raise ErrorServidor(Codigo.VALOR_INVALIDO, "El custodio debe ser un número.", campo="custodio")
        plazo = configuracion().plazo_relevo_custodio_s
        computo.relevar(bd(), proceso_id, int(datos["custodio"]), plazo, actor=actor(g.usuario), rol=g.usuario.rol)
    except ErrorServidor as e:
        proceso = computo.proceso_publico(bd(), proceso_id)
        return _pagina_estado(proceso, computo.estado(bd(), proceso_id), e), e.estado
    return redirect(url_for("computo.estado_pagina", proceso_id=proceso_id))

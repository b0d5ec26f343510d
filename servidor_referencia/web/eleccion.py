"""SIVEI: configuración de la elección y ceremonia de llaves a través del servidor (§19).

Páginas bajo ``/sivei`` y API JSON bajo ``/api/v1/sivei``.  Lo público (manifiesto, H_M, H_B,
avance de la ceremonia, registro, K y H_E) se lee sin sesión; crear procesos y asignar
custodios es de la administración; los mensajes de la ceremonia, solo de los custodios.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from vmre_crypto import a_json, serializar

from ..bd.sivei import ProcesoElectoral
from ..dominio import ceremonia_servidor as cer
from ..dominio import eleccion
from ..dominio.roles import Rol
from ..errores import Codigo, ErrorServidor
from .contexto import bd
from .entrada import Campo, leer_formulario, leer_json
from .seguridad import actor, requiere_rol, usuario_opcional

paginas = Blueprint("eleccion", __name__, url_prefix="/sivei")
api = Blueprint("api_eleccion", __name__, url_prefix="/api/v1/sivei")

DOCUMENTO = Campo(max_largo=200_000)
ESQUEMA_PROCESO = {
    "nombre": Campo(max_largo=200),
    "custodios": Campo(tipo=int),
    "cuorum": Campo(tipo=int),
    "fecha": Campo(max_largo=10),
    "info": Campo(max_largo=500),
    "manifiesto": Campo(tipo=dict, requerido=False),
    "preset": Campo(requerido=False, max_largo=20),
}
ESQUEMA_FORMULARIO = {
    "nombre": Campo(max_largo=200),
    "custodios": Campo(max_largo=3),
    "cuorum": Campo(max_largo=3),
    "fecha": Campo(max_largo=10),
    "info": Campo(max_largo=500),
    "manifiesto": Campo(requerido=False, max_largo=500_000),
}
ESQUEMA_ASIGNAR = {"indice": Campo(tipo=int), "usuario": Campo(max_largo=64)}
ESQUEMA_ASIGNAR_FORM = {"indice": Campo(max_largo=3), "usuario": Campo(max_largo=64)}
ESQUEMA_DOCUMENTO = {"documento": DOCUMENTO}
ESQUEMA_DOCUMENTOS = {"documentos": Campo(tipo=list)}
MAX_DOCUMENTOS = 60


def _crear(datos: dict[str, Any]) -> ProcesoElectoral:
    """(19.2) Exactamente uno de «manifiesto» o «preset» (= «simulacro»)."""
    manifiesto = datos.get("manifiesto")
    preset = datos.get("preset")
    if (manifiesto is None) == (preset is None):
        raise ErrorServidor(
            Codigo.CONFIGURACION_INVALIDA,
            "Indique un manifiesto o el preset «simulacro» (uno solo).",
            campo="manifiesto",
        )
    if preset is not None and preset != "simulacro":
        raise ErrorServidor(
            Codigo.CONFIGURACION_INVALIDA, "Preset desconocido; el único es «simulacro».", campo="preset"
        )
    cfg = eleccion.construir_configuracion(
        datos["custodios"],
        datos["cuorum"],
        datos["fecha"],
        datos["info"],
        eleccion.manifiesto_simulacro() if preset else manifiesto,
    )
    return eleccion.crear_proceso(bd(), datos["nombre"], cfg, actor(g.usuario), g.usuario.rol, g.usuario.id)


def _publico(p: ProcesoElectoral) -> dict[str, Any]:
    """(19.16) Lo que el proceso publica: configuración canónica, H_M, H_B y, al final, K y H_E."""
    cfg = eleccion.configuracion_de(p)
    return {
        "id": p.id,
        "nombre": p.nombre,
        "estado": p.estado,
        "configuracion": p.configuracion,
        "manifiesto": a_json(cfg.manifiesto),
        "custodios": cfg.custodios,
        "cuorum": cfg.cuorum,
        "fecha": cfg.fecha,
        "info": cfg.info,
        "h_m": p.h_m,
        "h_b": p.h_b,
        "h_e": p.h_e,
        "registro_llaves": p.registro_llaves,
        "contexto": p.contexto,
    }


def _entero(texto: str, campo: str) -> int:
    try:
        return int(texto)
    except ValueError:
        raise ErrorServidor(Codigo.TIPO_INVALIDO, f"El campo «{campo}» debe ser entero.", campo=campo) from None


# ---------------------------------------------------------------- páginas
@paginas.route("/procesos", methods=["GET", "POST"])
def procesos() -> ResponseReturnValue:
    usuario = usuario_opcional()
    es_admin = usuario is not None and usuario.rol == Rol.ADMINISTRADOR.value
    error = None
    if request.method == "POST":
        if usuario is None:
            return redirect(url_for("personal.acceso", siguiente=request.path))
        if not es_admin:
            raise ErrorServidor(Codigo.ROL_NO_PERMITIDO, "Su rol no permite esta operación.", 403)
        g.usuario = usuario
        try:
            datos = leer_formulario(ESQUEMA_FORMULARIO)
            texto = datos.pop("manifiesto", None)
            datos["custodios"] = _entero(datos["custodios"], "custodios")
            datos["cuorum"] = _entero(datos["cuorum"], "cuorum")
            if texto:
                try:
                    datos["manifiesto"] = json.loads(texto)
                except ValueError:
                    raise ErrorServidor(
                        Codigo.MANIFIESTO_INVALIDO, "El manifiesto no es JSON válido.", campo="manifiesto"
                    ) from None
            else:
                datos["preset"] = "simulacro"
            nuevo = _crear(datos)
        except ErrorServidor as e:
            error = e
        else:
            flash(f"Proceso «{nuevo.nombre}» creado.", "ok")
            return redirect(url_for("eleccion.proceso", proceso_id=nuevo.id))
    return render_template("eleccion/procesos.html", procesos=eleccion.listar(bd()), es_admin=es_admin, error=error), (
        error.estado if error else 200
    )


@paginas.route("/procesos/<int:proceso_id>", methods=["GET", "POST"])
def proceso(proceso_id: int) -> ResponseReturnValue:
    p = eleccion.obtener(bd(), proceso_id)
    usuario = usuario_opcional()
    es_admin = usuario is not None and usuario.rol == Rol.ADMINISTRADOR.value
    error = None
    if request.method == "POST":
        if not es_admin or usuario is None:
            raise ErrorServidor(Codigo.ROL_NO_PERMITIDO, "Su rol no permite esta operación.", 403)
        try:
            datos = leer_formulario(ESQUEMA_ASIGNAR_FORM)
            cer.asignar_custodio(
                bd(), p, _entero(datos["indice"], "indice"), datos["usuario"], actor(usuario), usuario.rol
            )
        except ErrorServidor as e:
            error = e
        else:
            flash("Custodio asignado.", "ok")
            return redirect(url_for("eleccion.proceso", proceso_id=p.id))
    return render_template(
        "eleccion/proceso.html",
        p=p,
        cfg=eleccion.configuracion_de(p),
        avance=cer.progreso(bd(), p),
        es_admin=es_admin,
        error=error,
    ), (error.estado if error else 200)


# ---------------------------------------------------------------- API: configuración
@api.post("/procesos")
@requiere_rol(Rol.ADMINISTRADOR)
def api_crear() -> ResponseReturnValue:
    return jsonify(_publico(_crear(leer_json(ESQUEMA_PROCESO)))), 201


@api.get("/procesos")
def api_listar() -> ResponseReturnValue:
    return jsonify({"procesos": [{"id": p.id, "nombre": p.nombre, "estado": p.estado} for p in eleccion.listar(bd())]})


@api.get("/procesos/<int:proceso_id>")
def api_proceso(proceso_id: int) -> ResponseReturnValue:
    return jsonify(_publico(eleccion.obtener(bd(), proceso_id)))


@api.post("/procesos/<int:proceso_id>/custodios")
@requiere_rol(Rol.ADMINISTRADOR)
def api_asignar(proceso_id: int) -> ResponseReturnValue:
    datos = leer_json(ESQUEMA_ASIGNAR)
    p = eleccion.obtener(bd(), proceso_id)
    fila = cer.asignar_custodio(bd(), p, datos["indice"], datos["usuario"], actor(g.usuario), g.usuario.rol)
    return jsonify({"indice": fila.indice, "usuario": datos["usuario"], "estado": p.estado}), 201


# ---------------------------------------------------------------- API: ceremonia
@api.get("/procesos/<int:proceso_id>/ceremonia")
def api_ceremonia(proceso_id: int) -> ResponseReturnValue:
    return jsonify(cer.progreso(bd(), eleccion.obtener(bd(), proceso_id)))


@api.get("/procesos/<int:proceso_id>/ceremonia/yo")
@requiere_rol(Rol.CUSTODIO)
def api_yo(proceso_id: int) -> ResponseReturnValue:
    p = eleccion.obtener(bd(), proceso_id)
    return jsonify({"indice": cer.indice_de(bd(), p, g.usuario), "nombre": g.usuario.nombre, "h_b": p.h_b})


@api.get("/procesos/<int:proceso_id>/ceremonia/compromisos")
def api_compromisos(proceso_id: int) -> ResponseReturnValue:
    return jsonify({"documentos": cer.compromisos_publicados(bd(), eleccion.obtener(bd(), proceso_id))})


@api.get("/procesos/<int:proceso_id>/ceremonia/comparticiones")
@requiere_rol(Rol.CUSTODIO)
def api_mis_comparticiones(proceso_id: int) -> ResponseReturnValue:
    p = eleccion.obtener(bd(), proceso_id)
    return jsonify({"documentos": cer.comparticiones_para(bd(), p, cer.indice_de(bd(), p, g.usuario))})


@api.get("/procesos/<int:proceso_id>/ceremonia/registro")
def api_registro(proceso_id: int) -> ResponseReturnValue:
    p = eleccion.obtener(bd(), proceso_id)
    return jsonify({"documento": p.registro_llaves or serializar(cer.registro(bd(), p))})


def _documentos() -> list[Any]:
    documentos = leer_json(ESQUEMA_DOCUMENTOS)["documentos"]
    if len(documentos) > MAX_DOCUMENTOS:
        raise ErrorServidor(Codigo.VALOR_INVALIDO, "Demasiados documentos.", campo="documentos")
    return list(documentos)


_RECEPTORES = {
    "compromisos": (cer.recibir_compromisos, False),
    "comparticiones": (cer.recibir_comparticiones, True),
    "confirmacion_comparticiones": (cer.recibir_confirmacion_comparticiones, False),
    "quejas": (cer.recibir_quejas, True),
    "confirmacion_registro": (cer.recibir_confirmacion_registro, False),
}


@api.post("/procesos/<int:proceso_id>/ceremonia/<tipo>")
@requiere_rol(Rol.CUSTODIO)
def api_mensaje(proceso_id: int, tipo: str) -> ResponseReturnValue:
    """(19.5–19.14) Un mensaje de la ceremonia; solo cuentas con rol custodio asignadas al proceso."""
    if tipo not in _RECEPTORES:
        raise ErrorServidor(Codigo.NO_ENCONTRADO, "No existe ese tipo de mensaje de la ceremonia.", 404)
    funcion, varios = _RECEPTORES[tipo]
    carga = _documentos() if varios else leer_json(ESQUEMA_DOCUMENTO)["documento"]
    funcion(bd(), proceso_id, g.usuario, carga, actor(g.usuario))  # type: ignore[operator]
    p = eleccion.obtener(bd(), proceso_id)
    return jsonify({"aceptado": True, "estado": p.estado, "h_e": p.h_e}), 201

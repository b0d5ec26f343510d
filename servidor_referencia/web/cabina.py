"""Cabina de votación web (§24): la página donde el elector cifra su boleta en el navegador.

* ``GET /sivei/votar/<p>`` — la cabina (24.1).  Sin sesión de elector lleva al acceso y, tras
  entrar, regresa aquí (24.2).  La página no lleva datos en línea: el script
  ``/estaticos/cabina/cabina.js`` pide la boleta por ``fetch`` y cifra en el Web Worker de la
  biblioteca JS (§23).
* ``GET /sivei/votar/<p>/boleta.json``, ``POST …/depositar`` y ``POST …/desafiar`` — lo mismo que
  la API del elector (§20.2), con la sesión de la cookie y el testigo CSRF en la cabecera
  ``X-CSRF-Token`` (24.4); errores en JSON con el mismo código estable.
* ``GET /sivei/recibo/<p>`` — «Verifica tu recibo», pública (24.9).
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask.typing import ResponseReturnValue

from ..bd.base import ahora
from ..bd.personal import Sesion
from ..dominio import apertura, votacion
from .contexto import bd
from .seguridad import CABECERA_CSRF, cabina_json, requiere_elector, sesion_actual
from .votacion import boleta_del_elector, depositar_del_elector, desafiar_del_elector

paginas = Blueprint("cabina", __name__, url_prefix="/sivei")


def _segundos_de_sesion() -> int:
    """Lo que le queda a la sesión: la cabina olvida todo al vencer, aunque no pida nada (24.5)."""
    fila = bd().get(Sesion, sesion_actual().hash)
    if fila is None:
        return 0
    return max(0, int((fila.expira - ahora()).total_seconds()))


def _enlaces(proceso_id: int) -> dict[str, str]:
    """(24.10) Lo público del proceso: tablero, verificación del recibo, resultados y actas."""
    return {
        "tablero": f"/sivei/tablero/{proceso_id}",
        "recibo": f"/sivei/recibo/{proceso_id}",
        "resultados": f"/sivei/resultados/{proceso_id}",
        "acta_inicio": f"/sivei/apertura/{proceso_id}/acta",
        "acta_computo": f"/sivei/computo/{proceso_id}/acta",
    }


# ---------------------------------------------------------------- páginas


@paginas.get("/votar/<int:proceso_id>")
@requiere_elector
def votar(proceso_id: int) -> ResponseReturnValue:
    """(24.1) La cabina.  Las comprobaciones de la boleta (proceso abierto, elector habilitado,
    estilo de su entidad) se hacen aquí también, para que un error salga como página."""
    datos = votacion.boleta_para(bd(), proceso_id, g.elector)
    proceso = apertura.proceso_de(bd(), proceso_id)
    return render_template(
        "cabina/votar.html",
        proceso_electoral=proceso,
        ya_voto=datos["ya_voto"],
        enlaces=_enlaces(proceso_id),
        sesion_s=_segundos_de_sesion(),
        cabecera_csrf=CABECERA_CSRF,
    )


@paginas.get("/recibo/<int:proceso_id>")
def recibo(proceso_id: int) -> ResponseReturnValue:
    """(24.9) «Verifica tu recibo»: busca un código en el tablero; el archivo se lee en el navegador."""
    proceso = apertura.proceso_de(bd(), proceso_id)
    codigo = request.args.get("codigo", "").strip()[:128]
    return render_template("cabina/recibo.html", proceso_electoral=proceso, codigo=codigo, enlaces=_enlaces(proceso_id))


# ---------------------------------------------------------------- JSON de la cabina (24.4)


@paginas.get("/votar/<int:proceso_id>/boleta.json")
@cabina_json
def boleta(proceso_id: int) -> ResponseReturnValue:
    """(20.16) y (24.6): la boleta del elector con sus opciones especiales por contienda."""
    return boleta_del_elector(proceso_id)


@paginas.post("/votar/<int:proceso_id>/depositar")
@cabina_json
def depositar(proceso_id: int) -> ResponseReturnValue:
    """(20.11)–(20.15), igual que ``POST /api/v1/sivei/votacion/<p>/depositar`` (24.7)."""
    return depositar_del_elector(proceso_id)


@paginas.post("/votar/<int:proceso_id>/desafiar")
@cabina_json
def desafiar(proceso_id: int) -> ResponseReturnValue:
    """(20.17), igual que ``POST /api/v1/sivei/votacion/<p>/desafiar`` (24.12)."""
    return desafiar_del_elector(proceso_id)

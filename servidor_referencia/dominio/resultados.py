"""Resultados, participación y actas de cómputo publicados (§21.12–§21.14).

Todo sale del acta de cómputo ya publicada en el tablero y de las marcas «ya votó»; nada de aquí
escribe.  La participación cuenta marcas unidas solo con las cuentas, nunca con boletas (20.14).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..bd.computo import ComputoProceso
from ..bd.cuentas import CuentaElector
from ..bd.sivei import ProcesoElectoral
from ..bd.votacion import EntradaTableroBD, MarcaVoto
from ..errores import Codigo, ErrorServidor, no_encontrado
from . import tablero_servidor
from .computo import proceso_publico as _proceso
from .votacion import contexto_de


def participacion(bd: Session, proceso_id: int) -> dict[str, Any]:
    """(21.13) Electores (cuentas del corte) y votos (marcas «ya votó») por entidad y por país.

    La marca no tiene liga con la boleta (20.14): se cuenta uniéndola solo con la cuenta."""
    proceso = _proceso(bd, proceso_id)
    if proceso.estado not in ("cerrada", "computada"):
        raise ErrorServidor(
            Codigo.RESULTADOS_NO_DISPONIBLES,
            "La participación se publica al cerrar la votación.",
            409,
            estado_actual=proceso.estado,
        )
    salida: dict[str, Any] = {"electores": 0, "votos": 0, "por_entidad": {}, "por_pais": {}}
    for columna, clave in ((CuentaElector.entidad, "por_entidad"), (CuentaElector.pais, "por_pais")):
        electores = bd.execute(
            select(columna, func.count()).where(CuentaElector.corte_id == proceso.corte_id).group_by(columna)
        ).all()
        votos = dict(
            bd.execute(
                select(columna, func.count())
                .select_from(MarcaVoto)
                .join(CuentaElector, CuentaElector.id == MarcaVoto.cuenta_id)
                .where(MarcaVoto.proceso_id == proceso_id)
                .group_by(columna)
            ).all()
        )
        salida[clave] = {str(k): {"electores": int(n), "votos": int(votos.get(k, 0))} for k, n in sorted(electores)}
    salida["electores"] = sum(x["electores"] for x in salida["por_entidad"].values())
    salida["votos"] = sum(x["votos"] for x in salida["por_entidad"].values())
    return salida


def _acta(bd: Session, proceso_id: int) -> tuple[ProcesoElectoral, dict[str, Any], EntradaTableroBD]:
    proceso = _proceso(bd, proceso_id)
    fila = tablero_servidor.primera_de_tipo(bd, proceso_id, "acta_computo")
    if proceso.estado != "computada" or fila is None:
        raise ErrorServidor(
            Codigo.RESULTADOS_NO_DISPONIBLES,
            f"Los resultados se publican cuando termina el cómputo (estado «{proceso.estado}»).",
            409,
            estado_actual=proceso.estado,
        )
    return proceso, json.loads(fila.documento), fila


def resultados(bd: Session, proceso_id: int) -> dict[str, Any]:
    """(21.12) Resultados por contienda (con su entidad = estilo) y la participación."""
    proceso, acta, _fila = _acta(bd, proceso_id)
    manifiesto = contexto_de(proceso).manifiesto
    estilos: dict[int, list[str]] = {}
    for estilo in manifiesto.estilos:
        for i in estilo.contiendas:
            estilos.setdefault(i, []).append(estilo.identificador)
    contiendas = []
    for r in acta["resultados"]:
        contienda = manifiesto.contienda(r["contienda"])
        propios = estilos.get(contienda.indice, [])
        contiendas.append(
            {
                "indice": contienda.indice,
                "etiqueta": contienda.etiqueta,
                "estilo": propios[0] if propios else None,
                "entidad": propios[0] if propios else None,
                "estilos": propios,
                "boletas": r["boletas"],
                "opciones": [
                    {"indice": o.indice, "etiqueta": o.etiqueta, "votos": int(v)}
                    for o, v in zip(contienda.opciones, r["conteos"], strict=True)
                ],
                "total": sum(int(v) for v in r["conteos"]),
            }
        )
    return {
        "proceso": proceso_id,
        "nombre": proceso.nombre,
        "estado": proceso.estado,
        "contiendas": contiendas,
        "participacion": participacion(bd, proceso_id),
    }


def acta_computo(bd: Session, proceso_id: int, entidad: str | None = None) -> dict[str, Any]:
    """(21.14) El acta de cómputo publicada; con ``entidad``, la de esa entidad (sus contiendas)."""
    proceso, acta, fila = _acta(bd, proceso_id)
    computo = bd.get(ComputoProceso, proceso_id)
    assert computo is not None
    datos = resultados(bd, proceso_id)
    contiendas = datos["contiendas"]
    if entidad is not None:
        contiendas = [x for x in contiendas if entidad in x["estilos"]]
        if not contiendas:
            raise no_encontrado(f"la entidad «{entidad}» en este proceso")
    cabeza = tablero_servidor.cabeza(bd, proceso_id)
    return {
        "proceso": proceso_id,
        "nombre": proceso.nombre,
        "entidad": entidad,
        "h_e": acta["h_e"],
        "h_t": acta["hash_escrutinio"],
        "hash_resultado": computo.hash_resultado,
        "cabeza_tablero": acta["cabeza_tablero"],
        "entradas": acta["entradas"],
        "posicion": fila.indice,
        "hash_entrada_acta": fila.hash_entrada.upper(),
        "cabeza_final": cabeza.cabeza.upper(),
        "boletas_depositadas": acta["boletas_depositadas"],
        "boletas_desafiadas": acta["boletas_desafiadas"],
        "cuorum": acta["cuorum"],
        "contiendas": contiendas,
        "participacion": datos["participacion"]["por_entidad"].get(entidad) if entidad else datos["participacion"],
        "acta": acta,
    }

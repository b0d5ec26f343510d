"""Tablero de avisos del servidor: la cadena de hashes de §14.2 guardada en la base (§20.3).

Cada entrada se calcula con las funciones de la biblioteca (``hash_objeto`` = (14.1),
``hash_entrada`` = (14.2)) y se guarda con el documento canónico exacto; ``lineas`` reproduce
byte a byte el formato de ``tablero.jsonl`` que lee ``vmre verificar`` (20.9).

(20.10) Un solo escritor: en SQLite la transacción de la petición ya empezó con
``BEGIN IMMEDIATE``; en PostgreSQL ``bloquear`` toma un candado consultivo de transacción por
proceso antes de leer la cabeza.  La cabeza (número de entradas, último hash, última hora) se
guarda en ``cabeza_tablero``; la restricción única (proceso, índice) es la última defensa.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from vmre_crypto import EntradaTablero, a_json, hash_entrada, hash_objeto, reloj_utc, texto_canonico

from ..bd.votacion import CabezaTablero, EntradaTableroBD

#: hash_anterior de la primera entrada (§14.2).
HASH_INICIAL = bytes(32)
#: Espacio de los candados consultivos del tablero en PostgreSQL («VMRE» en ASCII).
_CANDADO = 0x564D5245 << 16


@dataclass(frozen=True, slots=True)
class Cabeza:
    entradas: int
    cabeza: str  # hexadecimal
    tiempo: str


def bloquear(bd: Session, proceso_id: int) -> None:
    """(20.10) Serializa a los escritores del tablero de un proceso hasta el fin de la transacción."""
    if bd.get_bind().dialect.name == "postgresql":
        bd.execute(text("SELECT pg_advisory_xact_lock(:clave)"), {"clave": _CANDADO + proceso_id})


def cabeza(bd: Session, proceso_id: int) -> Cabeza:
    fila = bd.get(CabezaTablero, proceso_id, populate_existing=True)
    if fila is None:
        return Cabeza(0, HASH_INICIAL.hex(), "")
    return Cabeza(fila.entradas, fila.cabeza, fila.tiempo)


def agregar(bd: Session, proceso_id: int, h_p: bytes, documento_canonico: str) -> EntradaTablero:
    """Agrega un documento ya serializado (``serializar``).  Quien llama ya tomó ``bloquear``.

    La hora nunca retrocede (§14.6): si el reloj va detrás de la última entrada se repite esa hora.
    """
    fila = bd.get(CabezaTablero, proceso_id, populate_existing=True)
    if fila is None:
        fila = CabezaTablero(proceso_id=proceso_id, entradas=0, cabeza=HASH_INICIAL.hex(), tiempo="")
        bd.add(fila)
    tipo = json.loads(documento_canonico)["tipo"]
    tiempo = max(reloj_utc(), fila.tiempo)
    anterior = bytes.fromhex(fila.cabeza)
    h_obj = hash_objeto(h_p, documento_canonico)  # (14.1)
    h_ent = hash_entrada(h_p, fila.entradas, tipo, anterior, h_obj, tiempo)  # (14.2)
    entrada = EntradaTablero(fila.entradas, tipo, anterior, h_obj, tiempo, h_ent)
    bd.add(
        EntradaTableroBD(
            proceso_id=proceso_id,
            indice=entrada.indice,
            tipo=tipo,
            hash_anterior=anterior.hex(),
            hash_objeto=h_obj.hex(),
            tiempo=tiempo,
            hash_entrada=h_ent.hex(),
            documento=documento_canonico,
        )
    )
    fila.entradas += 1
    fila.cabeza = h_ent.hex()
    fila.tiempo = tiempo
    bd.flush()
    return entrada


def entrada_de(fila: EntradaTableroBD) -> EntradaTablero:
    return EntradaTablero(
        fila.indice,
        fila.tipo,
        bytes.fromhex(fila.hash_anterior),
        bytes.fromhex(fila.hash_objeto),
        fila.tiempo,
        bytes.fromhex(fila.hash_entrada),
    )


def linea(fila: EntradaTableroBD) -> str:
    """(20.9) La línea de ``tablero.jsonl`` de una entrada, idéntica a la de ``EscritorTablero``."""
    return '{"entrada":' + texto_canonico(a_json(entrada_de(fila))) + ',"objeto":' + fila.documento + "}\n"


def lineas(bd: Session, proceso_id: int) -> Iterator[str]:
    """El tablero completo en orden de índice (la exportación del registro es este volcado)."""
    consulta = (
        select(EntradaTableroBD)
        .where(EntradaTableroBD.proceso_id == proceso_id)
        .order_by(EntradaTableroBD.indice)
        .execution_options(yield_per=500)
    )
    for fila in bd.scalars(consulta):
        yield linea(fila)


def lineas_por_lotes(fabrica: sessionmaker[Session], proceso_id: int, lote: int = 500) -> Iterator[str]:
    """Como ``lineas``, pero cada lote en su propia transacción corta: exportar un tablero grande no
    retiene el candado de escritura (en SQLite toda transacción es ``BEGIN IMMEDIATE``).  Las
    entradas nunca cambian, así que basta leer hasta la cabeza que había al empezar."""
    with fabrica() as bd:
        total = cabeza(bd, proceso_id).entradas
        bd.rollback()
    for desde in range(0, total, lote):
        with fabrica() as bd:
            filas = bd.scalars(
                select(EntradaTableroBD)
                .where(
                    EntradaTableroBD.proceso_id == proceso_id,
                    EntradaTableroBD.indice >= desde,
                    EntradaTableroBD.indice < min(desde + lote, total),
                )
                .order_by(EntradaTableroBD.indice)
            ).all()
            texto = [linea(f) for f in filas]
            bd.rollback()
        yield from texto


def primera_de_tipo(bd: Session, proceso_id: int, tipo: str) -> EntradaTableroBD | None:
    return bd.scalars(
        select(EntradaTableroBD)
        .where(EntradaTableroBD.proceso_id == proceso_id, EntradaTableroBD.tipo == tipo)
        .order_by(EntradaTableroBD.indice)
        .limit(1)
    ).first()

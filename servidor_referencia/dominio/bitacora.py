"""Bitácora de auditoría de solo-anexar, encadenada: ecuación (18.12), §18.6.

Cada entrada guarda ``hash = SHA-256(hash_anterior ∥ JSON canónico de la entrada)``; la
primera usa 64 ceros.  Además de los disparadores que impiden UPDATE/DELETE, la cadena
permite detectar cualquier alteración hecha por fuera del servidor (``verificar_cadena``).
Nunca se anotan secretos: solo quién, qué, sobre qué objeto y datos públicos.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..bd.base import ahora
from ..bd.personal import EntradaBitacora

CERO = "0" * 64


def _contenido(momento: datetime, actor: str, rol: str, accion: str, objeto: str, detalles: dict[str, Any]) -> bytes:
    datos = {
        "momento": momento.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": actor,
        "rol": rol,
        "accion": accion,
        "objeto": objeto,
        "detalles": detalles,
    }
    return json.dumps(datos, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def anotar(
    bd: Session, actor: str, rol: str, accion: str, objeto: str = "", detalles: dict[str, Any] | None = None
) -> EntradaBitacora:
    """Anota una acción del personal.  ``detalles``: solo datos públicos (nunca secretos)."""
    detalles = dict(detalles or {})
    if bd.get_bind().dialect.name == "postgresql":
        bd.execute(text("SELECT pg_advisory_xact_lock(4242)"))  # serializa la cola de la cadena
    ultima = bd.scalars(select(EntradaBitacora).order_by(EntradaBitacora.id.desc()).limit(1)).first()
    anterior = ultima.hash if ultima else CERO
    momento = ahora()
    h = hashlib.sha256(bytes.fromhex(anterior) + _contenido(momento, actor, rol, accion, objeto, detalles)).hexdigest()
    entrada = EntradaBitacora(
        momento=momento,
        actor=actor,
        rol=rol,
        accion=accion,
        objeto=objeto,
        detalles=detalles,
        hash_anterior=anterior,
        hash=h,
    )
    bd.add(entrada)
    bd.flush()
    return entrada


def verificar_cadena(bd: Session) -> int:
    """Recorre la bitácora y devuelve cuántas entradas hay; lanza ValueError si la cadena se rompió."""
    anterior = CERO
    n = 0
    for e in bd.scalars(select(EntradaBitacora).order_by(EntradaBitacora.id)):
        esperado = hashlib.sha256(
            bytes.fromhex(anterior) + _contenido(e.momento, e.actor, e.rol, e.accion, e.objeto, e.detalles)
        ).hexdigest()
        if e.hash_anterior != anterior or e.hash != esperado:
            raise ValueError(f"la bitácora está alterada en la entrada {e.id}")
        anterior = e.hash
        n += 1
    return n

"""(18.10) Enlaces de activación de un solo uso (cuentas de electores y del personal)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from ..bd.base import ahora
from ..bd.personal import EnlaceActivacion
from ..errores import Codigo, ErrorServidor
from .secretos import hash_testigo, testigo_nuevo


def crear_enlace(bd: Session, sujeto_tipo: str, sujeto_id: int, vigencia_s: int) -> str:
    """Devuelve el testigo (va solo en el correo); en la base queda su SHA-256."""
    testigo = testigo_nuevo()
    bd.add(
        EnlaceActivacion(
            hash_testigo=hash_testigo(testigo),
            sujeto_tipo=sujeto_tipo,
            sujeto_id=sujeto_id,
            expira=ahora() + timedelta(seconds=vigencia_s),
        )
    )
    bd.flush()
    return testigo


def enlace_valido(bd: Session, testigo: str, sujeto_tipo: str) -> EnlaceActivacion:
    fila = bd.get(EnlaceActivacion, hash_testigo(testigo)) if testigo else None
    if fila is None or fila.sujeto_tipo != sujeto_tipo:
        raise ErrorServidor(Codigo.ENLACE_INVALIDO, "El enlace de activación no es válido.", 404)
    if fila.usado_en is not None:
        raise ErrorServidor(Codigo.ENLACE_USADO, "Este enlace ya se usó. Cada enlace sirve una sola vez.", 410)
    if fila.expira <= ahora():
        raise ErrorServidor(Codigo.ENLACE_EXPIRADO, "El enlace expiró. Solicite uno nuevo.", 410)
    return fila


def consumir(bd: Session, testigo: str, sujeto_tipo: str) -> EnlaceActivacion:
    fila = enlace_valido(bd, testigo, sujeto_tipo)
    fila.usado_en = ahora()
    bd.flush()
    return fila

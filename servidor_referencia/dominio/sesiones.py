"""(18.8) Sesiones con vencimiento (30 min por omisión) para el personal y los electores.

El testigo viaja en una cookie firmada (páginas) o en ``Authorization: Bearer`` (API); en la
base solo queda su SHA-256.  Una sesión vencida o cerrada nunca vuelve a valer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from ..bd.base import ahora
from ..bd.personal import Sesion
from ..errores import Codigo, ErrorServidor
from .secretos import hash_testigo, testigo_nuevo


@dataclass(frozen=True, slots=True)
class SesionVigente:
    sujeto_tipo: str
    sujeto_id: int
    hash: str


def abrir(bd: Session, sujeto_tipo: str, sujeto_id: int, duracion_s: int) -> str:
    testigo = testigo_nuevo()
    bd.add(
        Sesion(
            hash_testigo=hash_testigo(testigo),
            sujeto_tipo=sujeto_tipo,
            sujeto_id=sujeto_id,
            expira=ahora() + timedelta(seconds=duracion_s),
        )
    )
    bd.flush()
    return testigo


def vigente(bd: Session, testigo: str) -> SesionVigente:
    fila = bd.get(Sesion, hash_testigo(testigo))
    if fila is None or fila.cerrada:
        raise ErrorServidor(Codigo.NO_AUTENTICADO, "Inicie sesión para continuar.", 401)
    if fila.expira <= ahora():
        raise ErrorServidor(Codigo.SESION_EXPIRADA, "Su sesión expiró. Inicie sesión de nuevo.", 401)
    return SesionVigente(fila.sujeto_tipo, fila.sujeto_id, fila.hash_testigo)


def cerrar(bd: Session, testigo: str) -> SesionVigente | None:
    """Cierra la sesión; devuelve de quién era si seguía abierta (para la bitácora), si no None."""
    fila = bd.get(Sesion, hash_testigo(testigo))
    if fila is None or fila.cerrada:
        return None
    fila.cerrada = True
    return SesionVigente(fila.sujeto_tipo, fila.sujeto_id, fila.hash_testigo)

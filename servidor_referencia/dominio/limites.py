"""Límite de frecuencia persistente (sobrevive reinicios y vale con varios procesos)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..bd.base import ahora
from ..bd.personal import IntentoAcceso
from ..errores import Codigo, ErrorServidor


def comprobar(bd: Session, clave: str, maximo: int, ventana_s: int) -> None:
    """Lanza ``demasiados_intentos`` (429) si ``clave`` ya falló ``maximo`` veces en la ventana."""
    desde = ahora() - timedelta(seconds=ventana_s)
    fallas = (
        bd.scalar(
            select(func.count())
            .select_from(IntentoAcceso)
            .where(IntentoAcceso.clave == clave, IntentoAcceso.momento >= desde, IntentoAcceso.exito.is_(False))
        )
        or 0
    )
    if fallas >= maximo:
        raise ErrorServidor(
            Codigo.DEMASIADOS_INTENTOS,
            "Demasiados intentos fallidos. Espere unos minutos antes de volver a intentarlo.",
            429,
        )


def registrar(bd: Session, clave: str, exito: bool) -> None:
    bd.add(IntentoAcceso(clave=clave, exito=exito))
    bd.flush()


def registrar_fallo_aparte(fabrica: object, claves: list[str]) -> None:
    """Anota fallas en una transacción propia: deben quedar aunque la petición se revierta.

    Nunca mientras otra transacción de escritura esté abierta en SQLite (se bloquearía hasta
    ``busy_timeout``): dentro de una vista use ``web.seguridad.registrar_fallos``, que la llama
    después de cerrar la transacción de la petición.
    """
    from ..bd.base import transaccion

    with transaccion(fabrica) as bd:  # type: ignore[arg-type]
        for clave in claves:
            bd.add(IntentoAcceso(clave=clave, exito=False))

"""Tablas del cierre y el cómputo del SIVEI (§21).

* ``computo_proceso``: una fila por proceso cerrado: H_T del escrutinio publicado, la ronda del
  descifrado, el cuórum U fijado (21.6), los retos de la ronda y los custodios excluidos (21.11).
* ``mensaje_computo``: avisos de disponibilidad, descifrados parciales y respuestas ya validados,
  en su JSON canónico.  Los parciales, retos y respuestas solo pasan al tablero cuando el
  resultado de la ronda se verificó (21.10): así el tablero queda en el orden exacto de §14.3
  aunque un cuórum se rehaga.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, FechaHoraUTC, ahora


class ComputoProceso(Base):
    """Estado del descifrado de un proceso (21.5)–(21.11)."""

    __tablename__ = "computo_proceso"

    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"), primary_key=True)
    h_t: Mapped[str] = mapped_column(String(64))
    boletas: Mapped[int] = mapped_column(Integer)
    ronda: Mapped[int] = mapped_column(Integer, default=1)
    cuorum: Mapped[str] = mapped_column(String(400), default="")  # «1,3,4» una vez fijado
    retos: Mapped[str | None] = mapped_column(Text, default=None)
    excluidos: Mapped[str] = mapped_column(String(400), default="")
    relevados: Mapped[str] = mapped_column(String(400), default="")  # (21.19) callaron en su ronda
    cuorum_desde: Mapped[datetime | None] = mapped_column(FechaHoraUTC, default=None)  # (21.6) cuándo se fijó U
    hash_resultado: Mapped[str | None] = mapped_column(String(64), default=None)
    cerrado: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)


class MensajeComputo(Base):
    """Un mensaje del descifrado ya validado; la unicidad impide duplicados aun en carrera.

    ``tipo``: disponible (ronda 0: vale para todas las rondas) | parcial | respuesta.
    """

    __tablename__ = "mensaje_computo"
    __table_args__ = (UniqueConstraint("proceso_id", "ronda", "tipo", "custodio", name="uq_mensaje_computo"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"), index=True)
    ronda: Mapped[int] = mapped_column(Integer)
    tipo: Mapped[str] = mapped_column(String(20))
    custodio: Mapped[int] = mapped_column(Integer)
    documento: Mapped[str] = mapped_column(Text, default="")
    recibido: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)

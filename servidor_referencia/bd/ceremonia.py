"""Tablas de la ceremonia de llaves a través del servidor (§19.3).

El servidor solo guarda documentos públicos de la biblioteca en su JSON canónico
(compromisos, comparticiones *cifradas*, confirmaciones y quejas); nunca un secreto.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, FechaHoraUTC, ahora


class CustodioAsignado(Base):
    """Cuenta del personal (rol custodio) asignada al índice ``indice`` (1..n) de un proceso (19.4)."""

    __tablename__ = "custodio_asignado"
    __table_args__ = (
        UniqueConstraint("proceso_id", "indice", name="uq_custodio_indice"),
        UniqueConstraint("proceso_id", "usuario_id", name="uq_custodio_usuario"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"), index=True)
    indice: Mapped[int] = mapped_column(Integer)
    usuario_id: Mapped[int] = mapped_column(ForeignKey("usuario.id"))
    asignado: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)


class MensajeCeremonia(Base):
    """Un mensaje de la ceremonia ya validado (19.5–19.13); la unicidad impide duplicados aun en carrera.

    ``tipo``: compromisos | comparticion | confirmacion_comparticiones | queja | confirmacion_registro.
    ``receptor`` es 0 salvo en comparticiones; en quejas es el acusado (0 = el servidor).
    """

    __tablename__ = "mensaje_ceremonia"
    __table_args__ = (UniqueConstraint("proceso_id", "tipo", "emisor", "receptor", name="uq_mensaje_ceremonia"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"), index=True)
    tipo: Mapped[str] = mapped_column(String(40))
    emisor: Mapped[int] = mapped_column(Integer)
    receptor: Mapped[int] = mapped_column(Integer, default=0)
    documento: Mapped[str] = mapped_column(Text)
    recibido: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)

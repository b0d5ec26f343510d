"""Bandeja de salida del correo: cada mensaje se escribe en la misma transacción que lo causa."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, FechaHoraUTC, ahora


class MensajeSaliente(Base):
    __tablename__ = "mensaje_saliente"
    __table_args__ = (Index("ix_mensaje_estado_proximo", "estado", "proximo_intento"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    destinatario: Mapped[str] = mapped_column(String(254))
    asunto: Mapped[str] = mapped_column(String(200))
    cuerpo: Mapped[str] = mapped_column(Text)
    sensible: Mapped[bool] = mapped_column(Boolean, default=False)  # el cuerpo se borra al enviarse
    estado: Mapped[str] = mapped_column(String(12), default="pendiente")  # pendiente | enviado | fallido
    intentos: Mapped[int] = mapped_column(Integer, default=0)
    creado: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    proximo_intento: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    enviado: Mapped[datetime | None] = mapped_column(FechaHoraUTC, default=None)
    ultimo_error: Mapped[str] = mapped_column(Text, default="")

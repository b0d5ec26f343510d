"""Tablas del SRVE: solicitudes de inscripción a la LNERE y su historial."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, FechaHoraUTC, ahora


class Solicitud(Base):
    """Solicitud de inscripción.  Solo una activa por clave de elector, correo y teléfono."""

    __tablename__ = "solicitud"
    __table_args__ = (
        Index(
            "ux_solicitud_clave_activa",
            "clave_elector",
            unique=True,
            sqlite_where=text("activa"),
            postgresql_where=text("activa"),
        ),
        Index(
            "ux_solicitud_correo_activa",
            "correo",
            unique=True,
            sqlite_where=text("activa"),
            postgresql_where=text("activa"),
        ),
        Index(
            "ux_solicitud_telefono_activa",
            "telefono",
            unique=True,
            sqlite_where=text("activa"),
            postgresql_where=text("activa"),
        ),
        Index("ix_solicitud_estado", "estado"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    folio: Mapped[str] = mapped_column(String(32), unique=True)
    activa: Mapped[bool] = mapped_column(Boolean, default=True)
    estado: Mapped[str] = mapped_column(String(24))
    canal: Mapped[str] = mapped_column(String(16))  # "portal" | "inetel"
    capturada_por: Mapped[int | None] = mapped_column(ForeignKey("usuario.id"), default=None)

    nombres: Mapped[str] = mapped_column(String(120))
    primer_apellido: Mapped[str] = mapped_column(String(120))
    segundo_apellido: Mapped[str] = mapped_column(String(120), default="")
    fecha_nacimiento: Mapped[date] = mapped_column(Date)
    clave_elector: Mapped[str] = mapped_column(String(18))
    tipo_credencial: Mapped[str] = mapped_column(String(16))  # "mexico" | "extranjero"
    ocr: Mapped[str] = mapped_column(String(13), default="")
    cic: Mapped[str] = mapped_column(String(10), default="")
    entidad: Mapped[str] = mapped_column(String(2))  # "01".."32"
    pais: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alfa-2
    domicilio: Mapped[dict[str, Any]] = mapped_column(JSON)
    correo: Mapped[str] = mapped_column(String(254))
    telefono: Mapped[str] = mapped_column(String(20))  # E.164
    modalidad: Mapped[str] = mapped_column(String(16))  # "postal" | "electronica" | "presencial"

    motivo_improcedencia: Mapped[str | None] = mapped_column(String(40), default=None)
    campos_a_subsanar: Mapped[list[str]] = mapped_column(JSON, default=list)
    observaciones: Mapped[str] = mapped_column(Text, default="")
    plazo_subsanar: Mapped[datetime | None] = mapped_column(FechaHoraUTC, default=None)
    creada: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    actualizada: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    version: Mapped[int] = mapped_column(Integer, default=1)

    historial: Mapped[list[EventoSolicitud]] = relationship(
        back_populates="solicitud", order_by="EventoSolicitud.id", cascade="all"
    )

    # Versión optimista: dos dictámenes simultáneos sobre la misma fila no pueden ganar ambos (§15.1).
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class EventoSolicitud(Base):
    """Un cambio de estado de una solicitud (nunca se modifica ni se borra)."""

    __tablename__ = "evento_solicitud"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    solicitud_id: Mapped[int] = mapped_column(ForeignKey("solicitud.id"), index=True)
    momento: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    estado_anterior: Mapped[str | None] = mapped_column(String(24), default=None)
    estado_nuevo: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(80))  # "ciudadano" | "usuario:<id>" | "sistema"
    canal: Mapped[str] = mapped_column(String(16))
    nota: Mapped[str] = mapped_column(Text, default="")

    solicitud: Mapped[Solicitud] = relationship(back_populates="historial")

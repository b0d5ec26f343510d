"""Tablas de cuentas de acceso de electores y de listas públicas de credenciales de votación."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, FechaHoraUTC, ahora


class CuentaElector(Base):
    """Cuenta de acceso de un elector de un corte electrónico (correo y teléfono únicos)."""

    __tablename__ = "cuenta_elector"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clave_elector: Mapped[str] = mapped_column(String(18), unique=True)
    corte_id: Mapped[int] = mapped_column(ForeignKey("corte_lnere.id"))
    correo: Mapped[str] = mapped_column(String(254), unique=True)
    telefono: Mapped[str] = mapped_column(String(20), unique=True)
    entidad: Mapped[str] = mapped_column(String(2))
    pais: Mapped[str] = mapped_column(String(2))
    estado: Mapped[str] = mapped_column(String(16), default="pendiente")  # "pendiente" | "activa"
    hash_contrasena: Mapped[str | None] = mapped_column(String(200), default=None)
    totp_secreto: Mapped[str | None] = mapped_column(String(64), default=None)
    ultimo_paso_totp: Mapped[int] = mapped_column(Integer, default=0)
    creada: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    activada: Mapped[datetime | None] = mapped_column(FechaHoraUTC, default=None)


class ListaCredencialesPublicas(Base):
    """Lista pública de credenciales de votación cargada por la autoridad de credenciales.

    No hay ninguna columna que ligue una credencial con un elector: el servidor nunca lo sabe.
    """

    __tablename__ = "lista_credenciales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    corte_id: Mapped[int] = mapped_column(ForeignKey("corte_lnere.id"), unique=True)
    cargada: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    cargada_por: Mapped[int] = mapped_column(ForeignKey("usuario.id"))
    num_credenciales: Mapped[int] = mapped_column(Integer)
    hash_lista: Mapped[str] = mapped_column(String(64))

    credenciales: Mapped[list[CredencialPublica]] = relationship(
        back_populates="lista", order_by="CredencialPublica.publica", cascade="all"
    )


class CredencialPublica(Base):
    __tablename__ = "credencial_publica"
    __table_args__ = (UniqueConstraint("lista_id", "publica"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lista_id: Mapped[int] = mapped_column(ForeignKey("lista_credenciales.id"), index=True)
    publica: Mapped[str] = mapped_column(String(1024))  # X = g^x en hexadecimal canónico (512 bytes)

    lista: Mapped[ListaCredencialesPublicas] = relationship(back_populates="credenciales")

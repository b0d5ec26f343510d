"""Tablas del personal: cuentas con rol, sesiones, intentos de acceso y bitácora de auditoría."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, FechaHoraUTC, ahora


class Usuario(Base):
    """Cuenta del personal.  La contraseña se guarda con argon2id; el segundo factor es TOTP."""

    __tablename__ = "usuario"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    usuario: Mapped[str] = mapped_column(String(64), unique=True)
    nombre: Mapped[str] = mapped_column(String(200))
    correo: Mapped[str] = mapped_column(String(254), unique=True)
    rol: Mapped[str] = mapped_column(String(32))
    hash_contrasena: Mapped[str | None] = mapped_column(String(200), default=None)
    totp_secreto: Mapped[str | None] = mapped_column(String(64), default=None)
    ultimo_paso_totp: Mapped[int] = mapped_column(Integer, default=0)
    activo: Mapped[bool] = mapped_column(Boolean, default=False)
    creado: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)


class Sesion(Base):
    """Sesión de una persona (personal o elector).  Se guarda solo el SHA-256 del testigo."""

    __tablename__ = "sesion"

    hash_testigo: Mapped[str] = mapped_column(String(64), primary_key=True)
    sujeto_tipo: Mapped[str] = mapped_column(String(16))  # "personal" | "elector"
    sujeto_id: Mapped[int] = mapped_column(Integer)
    creada: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    expira: Mapped[datetime] = mapped_column(FechaHoraUTC)
    cerrada: Mapped[bool] = mapped_column(Boolean, default=False)


class IntentoAcceso(Base):
    """Un intento que cuenta para el límite de frecuencia (acceso, seguimiento, recuperación)."""

    __tablename__ = "intento_acceso"
    __table_args__ = (Index("ix_intento_clave_momento", "clave", "momento"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clave: Mapped[str] = mapped_column(String(200))
    momento: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    exito: Mapped[bool] = mapped_column(Boolean, default=False)


class EntradaBitacora(Base):
    """Bitácora de auditoría de solo-anexar, encadenada por SHA-256 (ver ``dominio.bitacora``).

    Las bases de datos rechazan UPDATE y DELETE sobre esta tabla (``bd.protecciones``).
    """

    __tablename__ = "bitacora"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    momento: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    actor: Mapped[str] = mapped_column(String(80))
    rol: Mapped[str] = mapped_column(String(32))
    accion: Mapped[str] = mapped_column(String(80))
    objeto: Mapped[str] = mapped_column(String(120), default="")
    detalles: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    hash_anterior: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class EnlaceActivacion(Base):
    """Enlace de un solo uso enviado por correo (activación de cuentas de electores y del personal)."""

    __tablename__ = "enlace_activacion"

    hash_testigo: Mapped[str] = mapped_column(String(64), primary_key=True)
    sujeto_tipo: Mapped[str] = mapped_column(String(16))  # "personal" | "elector"
    sujeto_id: Mapped[int] = mapped_column(Integer)
    creado: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    expira: Mapped[datetime] = mapped_column(FechaHoraUTC)
    usado_en: Mapped[datetime | None] = mapped_column(FechaHoraUTC, default=None)


__all__ = ["EnlaceActivacion", "EntradaBitacora", "IntentoAcceso", "Sesion", "Usuario"]

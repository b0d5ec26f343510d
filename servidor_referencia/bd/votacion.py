"""Tablas de la apertura y la votación del SIVEI (§20).

* ``entrada_tablero`` y ``cabeza_tablero``: el tablero de avisos con cadena de hashes (§14.2),
  una fila por entrada con el documento canónico exacto; exportarlo es volcar las filas en orden
  de ``indice`` con el formato de línea de ``tablero.jsonl`` (20.9).
* ``boleta_recibida`` y ``cifrado_usado``: boletas depositadas o desafiadas.  Ninguna columna
  nombra a la cuenta del elector (20.14).
* ``marca_voto``: «ya votó» por cuenta, aparte de las boletas: sin id de boleta, sin credencial,
  sin id autoincremental y con la hora truncada a la hora (20.14).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, FechaHoraUTC, ahora


def hora_truncada() -> datetime:
    """La hora actual sin minutos ni segundos (20.14): no sirve para emparejar marca y boleta."""
    return ahora().replace(minute=0, second=0, microsecond=0)


class EntradaTableroBD(Base):
    """Una entrada del tablero (14.1)–(14.2); los hashes en hexadecimal en minúsculas."""

    __tablename__ = "entrada_tablero"
    __table_args__ = (UniqueConstraint("proceso_id", "indice"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"), index=True)
    indice: Mapped[int] = mapped_column(Integer)
    tipo: Mapped[str] = mapped_column(String(40))
    hash_anterior: Mapped[str] = mapped_column(String(64))
    hash_objeto: Mapped[str] = mapped_column(String(64))
    tiempo: Mapped[str] = mapped_column(String(20))
    hash_entrada: Mapped[str] = mapped_column(String(64))
    documento: Mapped[str] = mapped_column(Text)


class CabezaTablero(Base):
    """La cabeza de la cadena de un proceso: número de entradas, último hash y última hora."""

    __tablename__ = "cabeza_tablero"

    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"), primary_key=True)
    entradas: Mapped[int] = mapped_column(Integer, default=0)
    cabeza: Mapped[str] = mapped_column(String(64))
    tiempo: Mapped[str] = mapped_column(String(20), default="")


class BoletaRecibida(Base):
    """Una boleta aceptada: depositada (se cuenta) o desafiada (se abre y nunca se cuenta).

    ``credencial_depositada`` es la credencial X solo si la boleta se depositó (NULL si se
    desafió): la restricción única garantiza una boleta depositada por credencial (20.12).
    """

    __tablename__ = "boleta_recibida"
    __table_args__ = (
        UniqueConstraint("proceso_id", "id_boleta"),
        UniqueConstraint("proceso_id", "credencial_depositada"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"), index=True)
    id_boleta: Mapped[str] = mapped_column(String(64))
    estado: Mapped[str] = mapped_column(String(12))  # "depositada" | "desafiada"
    codigo_confirmacion: Mapped[str] = mapped_column(String(64), index=True)
    credencial_depositada: Mapped[str | None] = mapped_column(String(1024), default=None)
    posicion: Mapped[int] = mapped_column(Integer)


class CifradoUsado(Base):
    """Huella de 128 bits de cada cifrado (α, β) recibido: ninguno se repite (20.13, V-B2)."""

    __tablename__ = "cifrado_usado"
    __table_args__ = (UniqueConstraint("proceso_id", "huella"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"))
    huella: Mapped[str] = mapped_column(String(32))


class MarcaVoto(Base):
    """«Ya votó» (LGIPE art. 343): cuenta y hora truncada a la hora; nada que lleve a la boleta (20.14)."""

    __tablename__ = "marca_voto"

    proceso_id: Mapped[int] = mapped_column(ForeignKey("proceso_electoral.id"), primary_key=True)
    cuenta_id: Mapped[int] = mapped_column(ForeignKey("cuenta_elector.id"), primary_key=True)
    hora: Mapped[datetime] = mapped_column(FechaHoraUTC, default=hora_truncada)

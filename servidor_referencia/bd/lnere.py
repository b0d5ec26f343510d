"""Tablas de la LNERE: cortes versionados con su código de integridad y sus registros (§16).

Un corte no cambia nunca (16.14): disparadores de la base, instalados al crear cada tabla,
rechazan todo UPDATE y DELETE sobre ``corte_lnere`` y ``registro_lnere`` en SQLite y en
PostgreSQL, así que ni un error de programación puede reescribir un corte publicado.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, Date, ForeignKey, Integer, LargeBinary, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, FechaHoraUTC, ahora


class CorteLNERE(Base):
    """Un corte de la lista nominal para una modalidad.  ``documento`` es la serialización
    canónica exacta (§16.2) cuyo SHA-256 es ``codigo_integridad``."""

    __tablename__ = "corte_lnere"
    __table_args__ = (UniqueConstraint("modalidad", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    modalidad: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    creado: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    creado_por: Mapped[int] = mapped_column(ForeignKey("usuario.id"))
    num_registros: Mapped[int] = mapped_column(Integer)
    codigo_integridad: Mapped[str] = mapped_column(String(64))
    documento: Mapped[bytes] = mapped_column(LargeBinary)

    registros: Mapped[list[RegistroLNERE]] = relationship(
        back_populates="corte", order_by="RegistroLNERE.clave_elector", cascade="all"
    )


class RegistroLNERE(Base):
    """Un elector dentro de un corte (copia de los datos de su solicitud al momento del corte)."""

    __tablename__ = "registro_lnere"
    __table_args__ = (UniqueConstraint("corte_id", "clave_elector"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    corte_id: Mapped[int] = mapped_column(ForeignKey("corte_lnere.id"), index=True)
    solicitud_id: Mapped[int] = mapped_column(ForeignKey("solicitud.id"))
    folio: Mapped[str] = mapped_column(String(32))
    clave_elector: Mapped[str] = mapped_column(String(18))
    nombres: Mapped[str] = mapped_column(String(120))
    primer_apellido: Mapped[str] = mapped_column(String(120))
    segundo_apellido: Mapped[str] = mapped_column(String(120))
    fecha_nacimiento: Mapped[date] = mapped_column(Date)
    entidad: Mapped[str] = mapped_column(String(2))
    pais: Mapped[str] = mapped_column(String(2))
    correo: Mapped[str] = mapped_column(String(254))
    telefono: Mapped[str] = mapped_column(String(20))
    modalidad: Mapped[str] = mapped_column(String(16))

    corte: Mapped[CorteLNERE] = relationship(back_populates="registros")


def _proteger(tabla: str) -> None:
    """(16.14): la tabla es de solo-anexar desde que se crea (en SQLite y en PostgreSQL)."""
    sentencias = [
        (
            "sqlite",
            f"CREATE TRIGGER IF NOT EXISTS inmutable_{tabla}_{operacion.lower()} BEFORE {operacion} ON {tabla} "
            f"BEGIN SELECT RAISE(ABORT, 'corte de la LNERE inmutable: {tabla}'); END",
        )
        for operacion in ("UPDATE", "DELETE")
    ]
    sentencias += [
        (
            "postgresql",
            "CREATE OR REPLACE FUNCTION vmre_lnere_inmutable() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'corte de la LNERE inmutable: %%', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql",
        ),
        (
            "postgresql",
            f"CREATE TRIGGER inmutable_{tabla} BEFORE UPDATE OR DELETE ON {tabla} "
            "FOR EACH ROW EXECUTE FUNCTION vmre_lnere_inmutable()",
        ),
    ]
    for dialecto, sql in sentencias:
        ddl = DDL(sql)  # type: ignore[no-untyped-call]
        event.listen(Base.metadata.tables[tabla], "after_create", ddl.execute_if(dialect=dialecto))


_proteger("corte_lnere")
_proteger("registro_lnere")

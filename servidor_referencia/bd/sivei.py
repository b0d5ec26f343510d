"""Tablas del SIVEI compartidas por todas sus fases: el proceso electoral y su estado.

Cada fase (configuración, ceremonia, apertura, votación, cómputo) tiene además sus propias
tablas en su propio módulo; todas apuntan a ``proceso_electoral``.  Los documentos de la
biblioteca se guardan en su JSON canónico (``vmre_crypto.serializar``), nunca en otra forma.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, FechaHoraUTC, ahora

# Estados del proceso, en orden; solo se avanza al siguiente (§19).
ESTADOS_PROCESO = ("configuracion", "ceremonia", "llave_publicada", "abierta", "cerrada", "computada")


class ProcesoElectoral(Base):
    """Un proceso electoral (p. ej. un simulacro) con sus elecciones por entidad.

    Contrato entre fases:
    * configuración: ``configuracion`` = ``serializar(ConfiguracionEleccion)``, ``h_m`` y ``h_b`` (hex);
    * ceremonia: al terminar escribe ``registro_llaves`` = ``serializar(RegistroLlaves)``,
      ``contexto`` = ``serializar(ContextoEleccion)``, ``h_e`` y pasa a ``llave_publicada``;
    * apertura: fija ``corte_id`` (corte electrónico de la LNERE con su lista de credenciales),
      la ventana de votación y pasa a ``abierta``.
    """

    __tablename__ = "proceso_electoral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nombre: Mapped[str] = mapped_column(String(200))
    estado: Mapped[str] = mapped_column(String(20), default="configuracion")
    configuracion: Mapped[str] = mapped_column(Text)
    h_m: Mapped[str] = mapped_column(String(64))
    h_b: Mapped[str] = mapped_column(String(64))
    registro_llaves: Mapped[str | None] = mapped_column(Text, default=None)
    contexto: Mapped[str | None] = mapped_column(Text, default=None)
    h_e: Mapped[str | None] = mapped_column(String(64), default=None)
    corte_id: Mapped[int | None] = mapped_column(ForeignKey("corte_lnere.id"), default=None)
    inicio_votacion: Mapped[datetime | None] = mapped_column(FechaHoraUTC, default=None)
    fin_votacion: Mapped[datetime | None] = mapped_column(FechaHoraUTC, default=None)
    creado: Mapped[datetime] = mapped_column(FechaHoraUTC, default=ahora)
    creado_por: Mapped[int] = mapped_column(ForeignKey("usuario.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

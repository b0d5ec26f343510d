"""Informe del verificador: una entrada por comprobación, con conteos y fallas precisas (§14.7)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..serializacion import VERSION_ESPECIFICACION
from .catalogo import COMPROBACIONES

__all__ = ["MAX_FALLAS_POR_COMPROBACION", "Falla", "Informe"]

#: Fallas que se conservan por comprobación (el conteo total se conserva aparte).
MAX_FALLAS_POR_COMPROBACION = 100


@dataclass
class Falla:
    """Qué objeto falló (línea, boleta, contienda, opción, custodio…), el código y el mensaje."""

    objeto: dict[str, Any]
    motivo: str
    mensaje: str

    def como_dict(self) -> dict[str, Any]:
        return {"objeto": self.objeto, "motivo": self.motivo, "mensaje": self.mensaje}


@dataclass
class _Estado:
    revisados: int = 0
    total_fallas: int = 0
    fallas: list[Falla] = field(default_factory=list)


class Informe:
    """Acumula revisiones y fallas por identificador de comprobación."""

    def __init__(self) -> None:
        self._estados: dict[str, _Estado] = {ident: _Estado() for ident, _ in COMPROBACIONES}

    def revisado(self, ident: str, cuantos: int = 1) -> None:
        self._estados[ident].revisados += cuantos

    def falla(self, ident: str, motivo: str, mensaje: str, **objeto: Any) -> None:
        estado = self._estados[ident]
        estado.total_fallas += 1
        if len(estado.fallas) < MAX_FALLAS_POR_COMPROBACION:
            estado.fallas.append(Falla(objeto, motivo, mensaje))

    def fallas(self, ident: str) -> list[Falla]:
        return list(self._estados[ident].fallas)

    @property
    def ok(self) -> bool:
        return all(e.total_fallas == 0 for e in self._estados.values())

    def fallidas(self) -> list[str]:
        return [ident for ident, e in self._estados.items() if e.total_fallas]

    def como_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": VERSION_ESPECIFICACION,
            "checks": [
                {
                    "id": ident,
                    "descripcion": descripcion,
                    "ok": self._estados[ident].total_fallas == 0,
                    "revisados": self._estados[ident].revisados,
                    "fallas": [f.como_dict() for f in self._estados[ident].fallas],
                    "total_fallas": self._estados[ident].total_fallas,
                }
                for ident, descripcion in COMPROBACIONES
            ],
        }

    def como_json(self) -> str:
        return json.dumps(self.como_dict(), ensure_ascii=False, indent=2, sort_keys=False)

    def como_texto(self) -> str:
        """Una línea por comprobación; bajo cada una que falla, sus fallas con objeto y motivo."""
        lineas = []
        for ident, descripcion in COMPROBACIONES:
            estado = self._estados[ident]
            marca = "OK   " if estado.total_fallas == 0 else "FALLA"
            lineas.append(
                f"{marca} {ident:<6} {descripcion} — {estado.revisados} revisados, {estado.total_fallas} fallas"
            )
            for f in estado.fallas:
                donde = ", ".join(f"{k}={v}" for k, v in f.objeto.items())
                lineas.append(f"        · [{f.motivo}] {f.mensaje} ({donde})")
            if estado.total_fallas > len(estado.fallas):
                lineas.append(f"        · … y {estado.total_fallas - len(estado.fallas)} fallas más")
        veredicto = (
            "REGISTRO VÁLIDO: todas las comprobaciones pasan."
            if self.ok
            else ("REGISTRO INVÁLIDO: fallan " + ", ".join(self.fallidas()) + ".")
        )
        lineas.append(veredicto)
        return "\n".join(lineas)

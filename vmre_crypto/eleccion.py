"""Parámetros de la elección y su cadena de hashes H_P → H_M → H_B → H_E (§4).

``ConfiguracionEleccion`` existe antes de la ceremonia (n, k, fecha, info, manifiesto);
``ContextoEleccion`` añade la llave conjunta K y H_E cuando la ceremonia termina.  Todas
las operaciones posteriores reciben un contexto explícito: no hay parámetros globales.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errores import ErrorDecodificacion, Motivo
from .manifiesto import Manifiesto
from .primitivas.grupo import GRUPO_ESTANDAR, ElementoP, Grupo
from .primitivas.parametros import hash_base, hash_extendido, hash_manifiesto, hash_parametros

__all__ = ["ConfiguracionEleccion", "ContextoEleccion"]


@dataclass(frozen=True, slots=True)
class ConfiguracionEleccion:
    """Parámetros variables (EG 2.0 §3.1.2) y manifiesto."""

    custodios: int
    cuorum: int
    fecha: str
    info: str
    manifiesto: Manifiesto

    def __post_init__(self) -> None:
        if not 1 <= self.cuorum <= self.custodios:
            raise ErrorDecodificacion(Motivo.PARAMETRO_INVALIDO, "Se requiere 1 ≤ k ≤ n (§4.3).")
        # H_B concatena fecha e información sin prefijos de longitud: la fecha tiene forma fija (§4.3).
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", self.fecha):
            raise ErrorDecodificacion(Motivo.PARAMETRO_INVALIDO, "La fecha debe tener la forma AAAA-MM-DD (§4.3).")

    def grupo(self) -> Grupo:
        return GRUPO_ESTANDAR

    @property
    def h_p(self) -> bytes:
        return hash_parametros(self.grupo())

    @property
    def h_m(self) -> bytes:
        return hash_manifiesto(self.h_p, self.manifiesto.bytes_canonicos())

    @property
    def h_b(self) -> bytes:
        return hash_base(self.h_p, self.custodios, self.cuorum, self.fecha, self.info, self.h_m)


@dataclass(frozen=True, slots=True)
class ContextoEleccion:
    """Configuración más la llave conjunta K = ∏ K_i0 y H_E (ecuación (4.4))."""

    configuracion: ConfiguracionEleccion
    llave: ElementoP
    h_p: bytes
    h_b: bytes
    h_e: bytes

    def __post_init__(self) -> None:
        """V3.B y V1/V4: un contexto (también uno decodificado) es coherente con su configuración y K."""
        if self.llave.valor == 1:
            raise ErrorDecodificacion(Motivo.PARAMETRO_INVALIDO, "La llave conjunta no puede ser 1 (V3.B).")
        if self.h_p != self.configuracion.h_p or self.h_b != self.configuracion.h_b:
            raise ErrorDecodificacion(
                Motivo.PARAMETRO_INVALIDO, "H_P o H_B no corresponden a la configuración (V1).", campo="h_b"
            )
        if self.h_e != hash_extendido(self.h_b, self.llave):
            raise ErrorDecodificacion(
                Motivo.PARAMETRO_INVALIDO, "H_E no corresponde a H_B y a la llave conjunta (V4).", campo="h_e"
            )

    @classmethod
    def crear(cls, configuracion: ConfiguracionEleccion, llave: ElementoP) -> ContextoEleccion:
        h_b = configuracion.h_b
        return cls(configuracion, llave, configuracion.h_p, h_b, hash_extendido(h_b, llave))

    @property
    def grupo(self) -> Grupo:
        return self.llave.grupo

    @property
    def manifiesto(self) -> Manifiesto:
        return self.configuracion.manifiesto

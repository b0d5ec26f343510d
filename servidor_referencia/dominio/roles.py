"""Roles del personal y lo que cada uno puede hacer (§18.3, regla (18.5))."""

from __future__ import annotations

import enum


class Rol(enum.Enum):
    ADMINISTRADOR = "administrador"
    OPERADOR = "operador"  # operador dictaminador del registro
    OPERADOR_INETEL = "operador_inetel"
    CUSTODIO = "custodio"
    AUDITOR = "auditor"  # solo lectura
    REPRESENTANTE = "representante"  # representante de partido: solo hashes, conteos y el registro
    AUTORIDAD_CREDENCIALES = "autoridad_credenciales"

    @property
    def nombre(self) -> str:
        return NOMBRES[self]


NOMBRES = {
    Rol.ADMINISTRADOR: "Administración del sistema",
    Rol.OPERADOR: "Operador dictaminador",
    Rol.OPERADOR_INETEL: "Operador INETEL",
    Rol.CUSTODIO: "Custodio de la llave",
    Rol.AUDITOR: "Auditoría (solo lectura)",
    Rol.REPRESENTANTE: "Representante de partido político",
    Rol.AUTORIDAD_CREDENCIALES: "Autoridad de credenciales",
}

# Quién ve la lista nominal completa (datos personales); el resto solo conteos y códigos.
ROLES_LISTA_COMPLETA = frozenset({Rol.ADMINISTRADOR, Rol.OPERADOR, Rol.AUDITOR})

"""Configuración de la elección (§19.1–19.2): creación de un proceso y el preset del simulacro.

La configuración es la ``ConfiguracionEleccion`` de la biblioteca (n, k, fecha, info y el
manifiesto); el servidor la guarda en su JSON canónico y publica H_M y H_B (19.2).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vmre_crypto import (
    ConfiguracionEleccion,
    Contienda,
    ErrorVMRE,
    EstiloBoleta,
    Manifiesto,
    Opcion,
    desde_json,
    deserializar,
    serializar,
)

from ..bd.sivei import ProcesoElectoral
from ..errores import Codigo, ErrorServidor, no_encontrado
from . import bitacora
from .catalogos import ENTIDADES

# Entidades del simulacro (clave INE de dos dígitos) y sus contiendas (19.1).
GUBERNATURAS = ("03", "08", "06", "12", "16", "18", "22", "24", "32")
DIPUTACIONES = ("12", "14")
PARTIDOS = ("PAN", "PRI", "PRD", "PVEM", "PT", "MC", "MORENA")
# Combinaciones válidas de las dos coaliciones: cada una es su propia opción en la boleta.
COMBINACIONES = (
    "PAN-PRI-PRD",
    "PAN-PRI",
    "PAN-PRD",
    "PRI-PRD",
    "PVEM-PT-MORENA",
    "PVEM-PT",
    "PVEM-MORENA",
    "PT-MORENA",
)
NO_REGISTRADA = "Candidatura no registrada"
NULO = "Voto nulo"
MAX_CUSTODIOS = 50


def _opciones() -> tuple[Opcion, ...]:
    etiquetas = [*PARTIDOS, *COMBINACIONES, NO_REGISTRADA, NULO]
    return tuple(Opcion(i, e) for i, e in enumerate(etiquetas, start=1))


def manifiesto_simulacro() -> Manifiesto:
    """(19.1) Manifiesto del simulacro: 9 gubernaturas y 2 diputaciones en 10 entidades.

    Contiendas en orden de clave de entidad (primero la gubernatura, luego la diputación);
    un estilo de boleta por entidad cuyo identificador es la clave de la entidad (p. ej. «12»),
    de modo que el elector recibe el estilo de la entidad de su registro.
    """
    contiendas: list[Contienda] = []
    estilos: list[EstiloBoleta] = []
    for clave in sorted(set(GUBERNATURAS) | set(DIPUTACIONES)):
        nombre = ENTIDADES[clave]
        propias: list[int] = []
        if clave in GUBERNATURAS:
            contiendas.append(Contienda(len(contiendas) + 1, f"Gubernatura de {nombre}", 1, _opciones()))
            propias.append(len(contiendas))
        if clave in DIPUTACIONES:
            contiendas.append(Contienda(len(contiendas) + 1, f"Diputación migrante de {nombre}", 1, _opciones()))
            propias.append(len(contiendas))
        estilos.append(EstiloBoleta(clave, tuple(propias)))
    return Manifiesto(
        "Simulacro del voto electrónico por internet de las y los mexicanos residentes en el extranjero",
        tuple(contiendas),
        tuple(estilos),
    )


def configuracion_simulacro(
    custodios: int = 5, cuorum: int = 3, fecha: str = "2021-06-06", info: str = "Simulacro VMRE"
) -> ConfiguracionEleccion:
    return construir_configuracion(custodios, cuorum, fecha, info, manifiesto_simulacro())


def construir_configuracion(
    custodios: int, cuorum: int, fecha: str, info: str, manifiesto: Manifiesto | Any
) -> ConfiguracionEleccion:
    """(19.2) Valida n, k, fecha e info y arma la configuración; el manifiesto puede venir como JSON."""
    if not 1 <= custodios <= MAX_CUSTODIOS:
        raise ErrorServidor(
            Codigo.CONFIGURACION_INVALIDA,
            f"El número de custodios debe estar entre 1 y {MAX_CUSTODIOS}.",
            campo="custodios",
        )
    if not 1 <= cuorum <= custodios:
        raise ErrorServidor(Codigo.CONFIGURACION_INVALIDA, "El cuórum debe cumplir 1 ≤ k ≤ n (§4.3).", campo="cuorum")
    if not isinstance(manifiesto, Manifiesto):
        try:
            if isinstance(manifiesto, dict) and "tipo" in manifiesto:  # documento de ``serializar``
                manifiesto = deserializar(json.dumps(manifiesto), Manifiesto, None)
            else:
                manifiesto = desde_json(Manifiesto, manifiesto, None)
        except ErrorVMRE as e:
            raise ErrorServidor(
                Codigo.MANIFIESTO_INVALIDO, f"El manifiesto no es válido: {e}", campo="manifiesto"
            ) from None
    try:
        return ConfiguracionEleccion(custodios, cuorum, fecha, info, manifiesto)
    except ErrorVMRE as e:
        raise ErrorServidor(Codigo.CONFIGURACION_INVALIDA, f"Configuración inválida: {e}", campo="fecha") from None


def crear_proceso(
    bd: Session, nombre: str, configuracion: ConfiguracionEleccion, actor: str, rol: str, creado_por: int
) -> ProcesoElectoral:
    """Crea el proceso en estado «configuracion» con H_M y H_B publicados (19.2)."""
    proceso = ProcesoElectoral(
        nombre=nombre,
        estado="configuracion",
        configuracion=serializar(configuracion),
        h_m=configuracion.h_m.hex().upper(),
        h_b=configuracion.h_b.hex().upper(),
        creado_por=creado_por,
    )
    bd.add(proceso)
    bd.flush()
    bitacora.anotar(
        bd,
        actor,
        rol,
        "crear_proceso_electoral",
        f"proceso:{proceso.id}",
        {"h_m": proceso.h_m, "h_b": proceso.h_b, "custodios": configuracion.custodios, "cuorum": configuracion.cuorum},
    )
    return proceso


def obtener(bd: Session, proceso_id: int) -> ProcesoElectoral:
    proceso = bd.get(ProcesoElectoral, proceso_id)
    if proceso is None:
        raise no_encontrado("el proceso electoral")
    return proceso


def configuracion_de(proceso: ProcesoElectoral) -> ConfiguracionEleccion:
    return deserializar(proceso.configuracion, ConfiguracionEleccion, None)


def listar(bd: Session) -> list[ProcesoElectoral]:
    return list(bd.scalars(select(ProcesoElectoral).order_by(ProcesoElectoral.id.desc())))

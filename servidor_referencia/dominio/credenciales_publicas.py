"""Lista pública de credenciales de votación de un corte electrónico (§17.6–§17.8).

La autoridad de credenciales pide los destinatarios (solo correos, en orden alfabético),
genera fuera del servidor un par (x, X = g^x) por elector, envía cada x directamente al
elector y carga aquí la lista de las X.  El servidor la valida con la biblioteca, la guarda
ORDENADA y publica su hash H_C (8.9).  Ninguna tabla liga una X con un elector (17.16).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ErrorVMRE,
    a_json,
    decodificar_credenciales_publicas,
    hash_lista_credenciales_del_grupo,
)

from ..bd.cuentas import CredencialPublica, CuentaElector, ListaCredencialesPublicas
from ..bd.lnere import CorteLNERE
from ..errores import Codigo, ErrorServidor, no_encontrado
from . import bitacora
from .cuentas_electores import ACTIVA, MODALIDAD_ELECTRONICA, corte_electronico, registros_del_corte


@dataclass(frozen=True, slots=True)
class EstadoCorte:
    """Lo que ven todos los roles de lectura sobre un corte electrónico (sin datos personales)."""

    corte_id: int
    version: int
    num_registros: int
    codigo_integridad: str
    cuentas: int
    cuentas_activas: int
    num_credenciales: int | None
    hash_lista: str | None
    cargada: datetime | None

    def como_dict(self) -> dict[str, object]:
        return {
            "corte": self.corte_id,
            "version": self.version,
            "num_registros": self.num_registros,
            "codigo_integridad": self.codigo_integridad,
            "cuentas": self.cuentas,
            "cuentas_activas": self.cuentas_activas,
            "credenciales": None
            if self.hash_lista is None
            else {
                "num_credenciales": self.num_credenciales,
                "hash_lista": self.hash_lista,
                "cargada": self.cargada.isoformat() if self.cargada else None,
            },
        }


def estado_cortes(bd: Session) -> list[EstadoCorte]:
    cortes = bd.scalars(
        select(CorteLNERE).where(CorteLNERE.modalidad == MODALIDAD_ELECTRONICA).order_by(CorteLNERE.version.desc())
    ).all()
    salida = []
    for c in cortes:
        total = bd.scalar(select(func.count()).select_from(CuentaElector).where(CuentaElector.corte_id == c.id)) or 0
        activas = (
            bd.scalar(
                select(func.count())
                .select_from(CuentaElector)
                .where(CuentaElector.corte_id == c.id, CuentaElector.estado == ACTIVA)
            )
            or 0
        )
        lista = bd.scalars(select(ListaCredencialesPublicas).where(ListaCredencialesPublicas.corte_id == c.id)).first()
        salida.append(
            EstadoCorte(
                c.id,
                c.version,
                c.num_registros,
                c.codigo_integridad,
                total,
                activas,
                lista.num_credenciales if lista else None,
                lista.hash_lista if lista else None,
                lista.cargada if lista else None,
            )
        )
    return salida


def destinatarios(bd: Session, corte_id: int, *, actor: str, rol: str) -> list[str]:
    """Regla (17.11): los correos del corte, en minúsculas, sin repetir y en orden alfabético.

    Es todo lo que la autoridad necesita para entregar credenciales; no lleva identificadores
    internos, claves de elector ni el orden del corte.
    """
    corte = corte_electronico(bd, corte_id)
    correos = sorted({r.correo.strip().lower() for r in registros_del_corte(bd, corte)})
    bitacora.anotar(bd, actor, rol, "consultar_destinatarios", f"corte:{corte.id}", {"num_destinatarios": len(correos)})
    return correos


def lista_de(bd: Session, corte_id: int) -> ListaCredencialesPublicas:
    corte = corte_electronico(bd, corte_id)
    lista = bd.scalars(select(ListaCredencialesPublicas).where(ListaCredencialesPublicas.corte_id == corte.id)).first()
    if lista is None:
        raise no_encontrado("la lista de credenciales de ese corte (aún no se carga)")
    return lista


def cargar(
    bd: Session, corte_id: int, publicas: list[object], *, usuario_id: int, actor: str, rol: str
) -> ListaCredencialesPublicas:
    """Comprobaciones (17.13a)–(17.13e), en este orden, y guardado ordenado (17.14).

    a) el corte existe y es electrónico; b) no tiene lista todavía; c) N = número de
    electores del corte; d) cada X se decodifica con la biblioteca (hexadecimal canónico,
    1..p−1, subgrupo de orden q): el error lleva el motivo de la biblioteca y el índice;
    e) las X son distintas.  Después: H_C = (8.9) sobre las X ordenadas.
    """
    corte = corte_electronico(bd, corte_id)
    ya = bd.scalar(
        select(func.count())
        .select_from(ListaCredencialesPublicas)
        .where(ListaCredencialesPublicas.corte_id == corte.id)
    )
    if ya:
        raise ErrorServidor(
            Codigo.CREDENCIALES_YA_CARGADAS,
            "Este corte ya tiene su lista de credenciales; no se puede reemplazar.",
            409,
            corte=corte.id,
        )
    esperadas = len(registros_del_corte(bd, corte))
    if len(publicas) != esperadas:
        raise ErrorServidor(
            Codigo.NUMERO_CREDENCIALES,
            f"Se esperaban exactamente {esperadas} credenciales (una por elector del corte); llegaron {len(publicas)}.",
            esperadas=esperadas,
            recibidas=len(publicas),
        )
    try:
        elementos = decodificar_credenciales_publicas(GRUPO_ESTANDAR, publicas)
    except ErrorVMRE as e:  # el motivo de la biblioteca viaja sin cambios (17.13d)
        raise ErrorServidor(
            e.motivo,
            f"Credencial pública inválida: {e.mensaje}",
            400,  # type: ignore[arg-type]
            **e.detalles,
        ) from None
    ordenadas = sorted(elementos, key=lambda x: int(x.valor))
    for i in range(1, len(ordenadas)):
        if ordenadas[i] == ordenadas[i - 1]:
            repetida = a_json(ordenadas[i])
            indices = [k for k, v in enumerate(publicas) if v == repetida]
            raise ErrorServidor(
                Codigo.CREDENCIAL_DUPLICADA,
                "Las credenciales deben ser distintas (§8.7): hay una repetida.",
                campo="publicas",
                indices=indices,
            )
    h_c = hash_lista_credenciales_del_grupo(GRUPO_ESTANDAR, ordenadas).hex()
    lista = ListaCredencialesPublicas(
        corte_id=corte.id, cargada_por=usuario_id, num_credenciales=len(ordenadas), hash_lista=h_c
    )
    bd.add(lista)
    bd.flush()
    # (17.14): se insertan en orden creciente, así ni el id ni el orden físico conservan el
    # orden en que llegaron.
    bd.add_all([CredencialPublica(lista_id=lista.id, publica=a_json(x)) for x in ordenadas])
    bd.flush()
    bitacora.anotar(
        bd,
        actor,
        rol,
        "cargar_credenciales",
        f"corte:{corte.id}",
        {"num_credenciales": len(ordenadas), "hash_lista": h_c},
    )
    return lista


def publicas_de(bd: Session, lista: ListaCredencialesPublicas) -> list[str]:
    """Las X en orden creciente (se ordena aquí: la intercalación de la base no importa)."""
    textos = bd.scalars(select(CredencialPublica.publica).where(CredencialPublica.lista_id == lista.id))
    return sorted(textos, key=lambda t: int(t, 16))

"""Cortes de la LNERE: creación versionada, lectura, conteos y comparación (§16).

Un corte es una fotografía inmutable de las solicitudes procedentes y activas de una
modalidad (16.1).  Se guardan los bytes exactos de su documento canónico y su código de
integridad (16.8); los registros del corte se copian de las solicitudes, así que un cambio
posterior a una solicitud no altera ningún corte ya hecho (16.14).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..bd.lnere import CorteLNERE, RegistroLNERE
from ..bd.srve import Solicitud
from ..errores import Codigo, ErrorServidor, no_encontrado
from . import bitacora
from .lnere_canonica import (
    MODALIDADES,
    Comparacion,
    DocumentoInvalido,
    DocumentoLNERE,
    RegistroCanonico,
    codigo_integridad,
    comparar,
    leer,
    registro,
    serializar,
)

NOMBRES_MODALIDAD = {"postal": "Postal", "electronica": "Electrónica (internet)", "presencial": "Presencial"}


def validar_modalidad(modalidad: str) -> str:
    if modalidad not in MODALIDADES:
        raise ErrorServidor(
            Codigo.VALOR_INVALIDO,
            "Modalidad desconocida: debe ser postal, electronica o presencial.",
            campo="modalidad",
        )
    return modalidad


def _registro_de(solicitud: Solicitud) -> RegistroCanonico:
    try:
        return registro(
            clave_elector=solicitud.clave_elector,
            nombres=solicitud.nombres,
            primer_apellido=solicitud.primer_apellido,
            segundo_apellido=solicitud.segundo_apellido,
            fecha_nacimiento=solicitud.fecha_nacimiento,
            entidad=solicitud.entidad,
            pais=solicitud.pais,
            folio=solicitud.folio,
            correo=solicitud.correo,
            telefono=solicitud.telefono,
        )
    except DocumentoInvalido as e:
        raise ErrorServidor(
            Codigo.DOCUMENTO_LNERE_INVALIDO,
            f"La solicitud con folio {solicitud.folio} no puede entrar al corte: {e.mensaje}",
            409,
            folio=solicitud.folio,
        ) from None


def crear_corte(bd: Session, modalidad: str, usuario_id: int, actor: str, rol: str) -> CorteLNERE:
    """(16.1): corte de la modalidad con todas las solicitudes procedentes y activas.

    La versión es la última de esa modalidad más uno (la primera es 1).  Dos cortes
    simultáneos de la misma modalidad chocan en el índice único (modalidad, version): uno
    de los dos recibe 409 ``conflicto`` y no deja nada escrito.
    """
    validar_modalidad(modalidad)
    solicitudes = bd.scalars(
        select(Solicitud)
        .where(Solicitud.estado == "procedente", Solicitud.activa.is_(True), Solicitud.modalidad == modalidad)
        .order_by(Solicitud.clave_elector)
    ).all()
    if not solicitudes:
        raise ErrorServidor(
            Codigo.CORTE_VACIO,
            f"No hay solicitudes procedentes activas en la modalidad {NOMBRES_MODALIDAD[modalidad]}; "
            "no se crea un corte vacío.",
            409,
            modalidad=modalidad,
        )
    registros = [(_registro_de(s), s) for s in solicitudes]
    anterior = bd.scalar(select(func.max(CorteLNERE.version)).where(CorteLNERE.modalidad == modalidad))
    version = (anterior or 0) + 1
    documento = serializar(modalidad, version, (r for r, _ in registros))
    codigo = codigo_integridad(documento)
    corte = CorteLNERE(
        modalidad=modalidad,
        version=version,
        creado_por=usuario_id,
        num_registros=len(registros),
        codigo_integridad=codigo,
        documento=documento,
    )
    bd.add(corte)
    bd.flush()
    bd.execute(
        insert(RegistroLNERE),
        [
            {
                "corte_id": corte.id,
                "solicitud_id": s.id,
                "modalidad": modalidad,
                **r.como_json(),
                "fecha_nacimiento": s.fecha_nacimiento,
            }
            for r, s in registros
        ],
    )
    bitacora.anotar(
        bd,
        actor,
        rol,
        "lnere.crear_corte",
        f"corte_lnere:{corte.id}",
        {"modalidad": modalidad, "version": version, "num_registros": len(registros), "codigo_integridad": codigo},
    )
    return corte


def listar_cortes(bd: Session, modalidad: str | None = None) -> list[CorteLNERE]:
    consulta = select(CorteLNERE).order_by(CorteLNERE.modalidad, CorteLNERE.version.desc())
    if modalidad:
        consulta = consulta.where(CorteLNERE.modalidad == validar_modalidad(modalidad))
    return list(bd.scalars(consulta).all())


def obtener_corte(bd: Session, corte_id: int) -> CorteLNERE:
    corte = bd.get(CorteLNERE, corte_id)
    if corte is None:
        raise no_encontrado(f"el corte {corte_id}")
    return corte


def resumen(corte: CorteLNERE) -> dict[str, Any]:
    """Datos públicos de un corte: los ve todo rol de lectura, incluidos los representantes."""
    return {
        "id": corte.id,
        "modalidad": corte.modalidad,
        "version": corte.version,
        "num_registros": corte.num_registros,
        "codigo_integridad": corte.codigo_integridad,
        "creado": corte.creado.isoformat(),
    }


def conteos(bd: Session, corte: CorteLNERE) -> dict[str, dict[str, int]]:
    """Número de electores del corte por entidad de referencia y por país de residencia."""
    salida: dict[str, dict[str, int]] = {}
    for nombre, columna in (("por_entidad", RegistroLNERE.entidad), ("por_pais", RegistroLNERE.pais)):
        filas = bd.execute(
            select(columna, func.count()).where(RegistroLNERE.corte_id == corte.id).group_by(columna).order_by(columna)
        ).all()
        salida[nombre] = {str(clave): int(n) for clave, n in filas}
    return salida


def registros(bd: Session, corte: CorteLNERE, desde: int = 0, limite: int | None = None) -> list[RegistroLNERE]:
    consulta = (
        select(RegistroLNERE)
        .where(RegistroLNERE.corte_id == corte.id)
        .order_by(RegistroLNERE.clave_elector)
        .offset(desde)
    )
    if limite is not None:
        consulta = consulta.limit(limite)
    return list(bd.scalars(consulta).all())


def documento(corte: CorteLNERE) -> DocumentoLNERE:
    """Lee (y así revalida, 16.9) el documento guardado del corte."""
    return leer(corte.documento)


def verificar_corte(bd: Session, corte: CorteLNERE) -> bool:
    """(16.14): el código guardado es el SHA-256 del documento guardado, y el documento es
    exactamente la serialización de los registros guardados del corte."""
    if codigo_integridad(corte.documento) != corte.codigo_integridad:
        return False
    filas = registros(bd, corte)
    reconstruido = serializar(
        corte.modalidad,
        corte.version,
        (
            RegistroCanonico(
                clave_elector=f.clave_elector,
                correo=f.correo,
                entidad=f.entidad,
                fecha_nacimiento=f.fecha_nacimiento.isoformat(),
                folio=f.folio,
                nombres=f.nombres,
                pais=f.pais,
                primer_apellido=f.primer_apellido,
                segundo_apellido=f.segundo_apellido,
                telefono=f.telefono,
            )
            for f in filas
        ),
    )
    return reconstruido == corte.documento and len(filas) == corte.num_registros


def comparar_cortes(corte_a: CorteLNERE, corte_b: CorteLNERE) -> Comparacion:
    return comparar(documento(corte_a), documento(corte_b))


def comparar_con_documento(corte: CorteLNERE, contenido: bytes) -> Comparacion:
    """Compara el corte guardado (A) con un documento cargado en otro lado (B)."""
    try:
        externo = leer(contenido)
    except DocumentoInvalido as e:
        raise ErrorServidor(
            Codigo.DOCUMENTO_LNERE_INVALIDO,
            f"El documento cargado no es un documento canónico de la LNERE. {e.mensaje}",
            linea=e.linea,
        ) from None
    return comparar(documento(corte), externo)

"""Cuentas de acceso de los electores de un corte electrónico (§17.2–§17.4).

La administración crea, para un corte de modalidad electrónica, una cuenta ``pendiente`` por
elector y le envía un enlace de activación de un solo uso.  El elector la activa confirmando
los últimos 4 dígitos de su teléfono registrado, fijando una contraseña y enrolando TOTP; la
cuenta pasa a ``activa``.  Nada de esto toca las credenciales de votación (§17.8).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..bd.base import ahora
from ..bd.cuentas import CuentaElector
from ..bd.lnere import CorteLNERE, RegistroLNERE
from ..errores import Codigo, ErrorServidor, no_encontrado
from . import activacion, bitacora
from .correo import encolar
from .secretos import (
    ContrasenaVerificada,
    hash_contrasena,
    iguales,
    problema_contrasena,
    verificar_contrasena,
    verificar_totp,
)

PENDIENTE = "pendiente"
ACTIVA = "activa"
#: Estados de una cuenta de elector (17.1): pendiente → activa; no hay otra transición.
ESTADOS = (PENDIENTE, ACTIVA)

MODALIDAD_ELECTRONICA = "electronica"


@dataclass(frozen=True, slots=True)
class ResumenAlta:
    corte_id: int
    creadas: int
    ya_existentes: int


def corte_electronico(bd: Session, corte_id: int) -> CorteLNERE:
    """El corte pedido, que debe existir y ser de modalidad electrónica (17.2)."""
    corte = bd.get(CorteLNERE, corte_id)
    if corte is None:
        raise no_encontrado("el corte de la LNERE")
    if corte.modalidad != MODALIDAD_ELECTRONICA:
        raise ErrorServidor(
            Codigo.CORTE_NO_ELECTRONICO,
            "Solo los cortes de modalidad electrónica tienen cuentas y credenciales.",
            corte=corte_id,
            modalidad=corte.modalidad,
        )
    return corte


def registros_del_corte(bd: Session, corte: CorteLNERE) -> list[RegistroLNERE]:
    filas = list(
        bd.scalars(
            select(RegistroLNERE).where(RegistroLNERE.corte_id == corte.id).order_by(RegistroLNERE.clave_elector)
        )
    )
    if not filas:
        raise ErrorServidor(Codigo.CORTE_VACIO, "El corte no tiene registros.", corte=corte.id)
    return filas


def crear_cuentas(
    bd: Session, corte_id: int, *, actor: str, rol: str, vigencia_s: int, url_publica: str, proceso: str
) -> ResumenAlta:
    """Regla (17.2): una cuenta por elector del corte; correo y teléfono únicos entre cuentas.

    Un elector que ya tiene cuenta (misma clave de elector, mismo correo y teléfono) se omite.
    Si el correo o el teléfono de un elector ya pertenecen a la cuenta de OTRA clave, o la
    cuenta existente de la misma clave tiene otro correo o teléfono, no se crea ninguna cuenta:
    el error lista cada conflicto con el folio y el campo (todo o nada).
    """
    corte = corte_electronico(bd, corte_id)
    registros = registros_del_corte(bd, corte)
    existentes = list(bd.scalars(select(CuentaElector)))
    por_clave = {c.clave_elector: c for c in existentes}
    por_correo = {c.correo: c for c in existentes}
    por_telefono = {c.telefono: c for c in existentes}
    conflictos: list[dict[str, str]] = []
    nuevos: list[RegistroLNERE] = []
    for r in registros:
        correo = r.correo.strip().lower()
        propia = por_clave.get(r.clave_elector)
        if propia is not None:
            if propia.correo != correo:
                conflictos.append({"folio": r.folio, "campo": "correo"})
            if propia.telefono != r.telefono:
                conflictos.append({"folio": r.folio, "campo": "telefono"})
            continue
        otra = por_correo.get(correo)
        if otra is not None:
            conflictos.append({"folio": r.folio, "campo": "correo"})
        otra_t = por_telefono.get(r.telefono)
        if otra_t is not None:
            conflictos.append({"folio": r.folio, "campo": "telefono"})
        if otra is None and otra_t is None:
            nuevos.append(r)
            # También entre los nuevos del mismo corte: dos registros no comparten correo ni teléfono.
            por_correo[correo] = por_telefono[r.telefono] = por_clave[r.clave_elector] = CuentaElector(
                clave_elector=r.clave_elector, correo=correo, telefono=r.telefono
            )
    if conflictos:
        codigo = Codigo.CORREO_EN_USO if conflictos[0]["campo"] == "correo" else Codigo.TELEFONO_EN_USO
        raise ErrorServidor(
            codigo,
            f"{len(conflictos)} elector(es) del corte tienen un correo o un teléfono que ya usa "
            "otra cuenta. No se creó ninguna cuenta.",
            409,
            conflictos=conflictos,
        )
    for r in nuevos:
        cuenta = CuentaElector(
            clave_elector=r.clave_elector,
            corte_id=corte.id,
            correo=r.correo.strip().lower(),
            telefono=r.telefono,
            entidad=r.entidad,
            pais=r.pais,
            estado=PENDIENTE,
        )
        bd.add(cuenta)
        bd.flush()
        enviar_enlace(bd, cuenta, r.nombres, vigencia_s=vigencia_s, url_publica=url_publica, proceso=proceso)
    resumen = ResumenAlta(corte.id, len(nuevos), len(registros) - len(nuevos))
    bitacora.anotar(
        bd,
        actor,
        rol,
        "crear_cuentas_electores",
        f"corte:{corte.id}",
        {"creadas": resumen.creadas, "ya_existentes": resumen.ya_existentes},
    )
    return resumen


def enviar_enlace(
    bd: Session, cuenta: CuentaElector, nombre: str, *, vigencia_s: int, url_publica: str, proceso: str
) -> None:
    """Enlace de un solo uso (17.3) al correo registrado; en la base solo queda su SHA-256."""
    testigo = activacion.crear_enlace(bd, "elector", cuenta.id, vigencia_s)
    enlace = f"{url_publica}/elector/activar/{testigo}"
    encolar(
        bd,
        cuenta.correo,
        f"Active su cuenta para votar por internet — {proceso}",
        f"Hola, {nombre}:\n\nUsted está en la Lista Nominal de Electores Residentes en el Extranjero "
        "para votar por internet. Active su cuenta de acceso (una sola vez; vigencia "
        f"{vigencia_s // 3600} horas) en:\n\n{enlace}\n\n"
        "Necesitará los últimos 4 dígitos del teléfono que registró y una app autenticadora "
        "(TOTP) en su teléfono.\n\nSu credencial de votación le llegará en un correo aparte de la "
        "autoridad de credenciales.\n",
        sensible=True,
    )


def reenviar_enlace(
    bd: Session, cuenta_id: int, *, actor: str, rol: str, vigencia_s: int, url_publica: str, proceso: str
) -> CuentaElector:
    """Un enlace nuevo para una cuenta aún pendiente (el anterior sigue valiendo hasta expirar)."""
    cuenta = bd.get(CuentaElector, cuenta_id)
    if cuenta is None:
        raise no_encontrado("la cuenta")
    if cuenta.estado != PENDIENTE:
        raise ErrorServidor(Codigo.CUENTA_YA_ACTIVA, "La cuenta ya está activa.", 409)
    registro = bd.scalars(
        select(RegistroLNERE).where(
            RegistroLNERE.corte_id == cuenta.corte_id, RegistroLNERE.clave_elector == cuenta.clave_elector
        )
    ).first()
    enviar_enlace(
        bd,
        cuenta,
        registro.nombres if registro else "elector",
        vigencia_s=vigencia_s,
        url_publica=url_publica,
        proceso=proceso,
    )
    bitacora.anotar(bd, actor, rol, "reenviar_enlace_elector", f"cuenta_elector:{cuenta.id}")
    return cuenta


def telefono_coincide(cuenta: CuentaElector, ultimos_digitos: str) -> bool:
    """Regla (17.4b): exactamente los 4 últimos dígitos del teléfono registrado."""
    digitos = "".join(c for c in cuenta.telefono if c.isdigit())
    return len(ultimos_digitos) == 4 and ultimos_digitos.isdigit() and iguales(digitos[-4:], ultimos_digitos)


def activar(
    bd: Session,
    cuenta: CuentaElector,
    ultimos_digitos: str,
    contrasena: str,
    totp_secreto: str,
    codigo: str,
    hash_precalculado: str | None = None,
) -> None:
    """Comprobaciones (17.4a)–(17.4d), en este orden; cualquier falla deja la cuenta como estaba."""
    if cuenta.estado != PENDIENTE:
        raise ErrorServidor(Codigo.CUENTA_YA_ACTIVA, "La cuenta ya está activa.", 409)
    if not telefono_coincide(cuenta, ultimos_digitos):
        raise ErrorServidor(
            Codigo.TELEFONO_NO_COINCIDE,
            "Los 4 dígitos no coinciden con el final del teléfono que registró.",
            campo="ultimos_digitos_telefono",
        )
    problema = problema_contrasena(contrasena)
    if problema:
        raise ErrorServidor(Codigo.VALOR_INVALIDO, problema, campo="contrasena")
    paso = verificar_totp(totp_secreto, codigo, 0)
    if paso is None:
        raise ErrorServidor(
            Codigo.SEGUNDO_FACTOR_INVALIDO,
            "El código de 6 dígitos no coincide. Revise la hora de su teléfono e intente de nuevo.",
            campo="codigo",
        )
    # (18.6) El hash puede llegar calculado fuera de la transacción (de esta misma contraseña).
    cuenta.hash_contrasena = hash_precalculado or hash_contrasena(contrasena)
    cuenta.totp_secreto = totp_secreto
    cuenta.ultimo_paso_totp = paso
    cuenta.estado = ACTIVA
    cuenta.activada = ahora()
    bitacora.anotar(bd, f"elector:{cuenta.id}", "elector", "activar_cuenta_elector", f"cuenta_elector:{cuenta.id}")


def autenticar(
    bd: Session, correo: str, contrasena: str, codigo: str, verificada: ContrasenaVerificada | None = None
) -> CuentaElector:
    """Regla (17.6): contraseña y TOTP juntos; el error no dice cuál falló ni si la cuenta existe.

    ``verificada``: argon2id ya se comprobó fuera de la transacción (18.6).
    """
    cuenta = bd.scalars(select(CuentaElector).where(CuentaElector.correo == correo.strip().lower())).first()
    hash_actual = cuenta.hash_contrasena if cuenta else None
    ok = verificada.vale_para(hash_actual) if verificada is not None else verificar_contrasena(hash_actual, contrasena)
    if cuenta is None or not ok or cuenta.estado != ACTIVA:
        raise ErrorServidor(Codigo.CREDENCIALES_INVALIDAS, "Correo, contraseña o código incorrectos.", 401)
    paso = verificar_totp(cuenta.totp_secreto, codigo, cuenta.ultimo_paso_totp)
    if paso is None:
        raise ErrorServidor(Codigo.CREDENCIALES_INVALIDAS, "Correo, contraseña o código incorrectos.", 401)
    cuenta.ultimo_paso_totp = paso
    return cuenta

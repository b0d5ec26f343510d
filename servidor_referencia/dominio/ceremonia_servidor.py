"""La ceremonia de llaves con el servidor en medio (§19.3–19.4).

El servidor hace el papel del coordinador de §7: no tiene secretos, solo valida cada mensaje
con la biblioteca antes de guardarlo, lo retransmite y, cuando las n confirmaciones del
registro coinciden, publica K y H_E en ``ProcesoElectoral``.  Cada función se llama dentro de
la transacción de una petición: si lanza ``ErrorServidor`` no queda nada escrito.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ComparticionCifrada,
    CompromisosCustodio,
    ConfiguracionEleccion,
    ConfirmacionComparticiones,
    ConfirmacionRegistro,
    ContextoEleccion,
    ErrorVMRE,
    Queja,
    RegistroLlaves,
    construir_registro,
    deserializar,
    serializar,
    verificar_compromisos,
)

from ..bd.ceremonia import CustodioAsignado, MensajeCeremonia
from ..bd.personal import Usuario
from ..bd.sivei import ProcesoElectoral
from ..dominio.roles import Rol
from ..errores import Codigo, ErrorServidor
from . import bitacora
from .eleccion import configuracion_de

COMPROMISOS = "compromisos"
COMPARTICION = "comparticion"
CONFIRMACION_COMPARTICIONES = "confirmacion_comparticiones"
QUEJA = "queja"
CONFIRMACION_REGISTRO = "confirmacion_registro"


# -------------------------------------------------------------------- asignación (19.4)
def asignar_custodio(
    bd: Session, proceso: ProcesoElectoral, indice: int, usuario: str, actor: str, rol: str
) -> CustodioAsignado:
    """(19.4) Solo en «configuracion»; cuenta activa con rol custodio; índice 1..n libre; una cuenta
    por índice.  Con los n índices asignados el proceso pasa a «ceremonia»."""
    if proceso.estado != "configuracion":
        raise ErrorServidor(
            Codigo.PROCESO_ESTADO_INVALIDO,
            f"Solo se asignan custodios en configuración; el proceso está en «{proceso.estado}».",
            409,
        )
    n = configuracion_de(proceso).custodios
    if not 1 <= indice <= n:
        raise ErrorServidor(Codigo.VALOR_INVALIDO, f"El índice debe estar entre 1 y {n}.", campo="indice")
    cuenta = bd.scalar(select(Usuario).where(Usuario.usuario == usuario))
    if cuenta is None or not cuenta.activo or cuenta.rol != Rol.CUSTODIO.value:
        raise ErrorServidor(
            Codigo.VALOR_INVALIDO, "La cuenta no existe, no está activa o no tiene el rol de custodio.", campo="usuario"
        )
    asignados = _asignados(bd, proceso)
    if indice in asignados or cuenta.id in {a.usuario_id for a in asignados.values()}:
        raise ErrorServidor(Codigo.CUSTODIO_YA_ASIGNADO, "El índice o la cuenta ya están asignados.", 409)
    fila = CustodioAsignado(proceso_id=proceso.id, indice=indice, usuario_id=cuenta.id)
    bd.add(fila)
    bd.flush()
    bitacora.anotar(bd, actor, rol, "asignar_custodio", f"proceso:{proceso.id}", {"indice": indice, "usuario": usuario})
    if len(asignados) + 1 == n:
        proceso.estado = "ceremonia"
        bitacora.anotar(bd, actor, rol, "iniciar_ceremonia", f"proceso:{proceso.id}", {"custodios": n})
    return fila


def _asignados(bd: Session, proceso: ProcesoElectoral) -> dict[int, CustodioAsignado]:
    filas = bd.scalars(select(CustodioAsignado).where(CustodioAsignado.proceso_id == proceso.id))
    return {f.indice: f for f in filas}


def indice_de(bd: Session, proceso: ProcesoElectoral, usuario: Usuario) -> int:
    fila = bd.scalar(
        select(CustodioAsignado).where(
            CustodioAsignado.proceso_id == proceso.id, CustodioAsignado.usuario_id == usuario.id
        )
    )
    if fila is None:
        raise ErrorServidor(Codigo.CUSTODIO_NO_ASIGNADO, "Su cuenta no es custodio de este proceso.", 403)
    return fila.indice


# -------------------------------------------------------------------- lectura
def _mensajes(bd: Session, proceso: ProcesoElectoral, tipo: str | None = None) -> list[MensajeCeremonia]:
    consulta = select(MensajeCeremonia).where(MensajeCeremonia.proceso_id == proceso.id)
    if tipo is not None:
        consulta = consulta.where(MensajeCeremonia.tipo == tipo)
    return list(bd.scalars(consulta.order_by(MensajeCeremonia.emisor, MensajeCeremonia.receptor)))


def quejas(bd: Session, proceso: ProcesoElectoral) -> list[dict[str, Any]]:
    return [
        {"acusador": m.emisor, "acusado": m.receptor, "motivo": deserializar(m.documento, Queja, None).motivo}
        for m in _mensajes(bd, proceso, QUEJA)
    ]


def progreso(bd: Session, proceso: ProcesoElectoral) -> dict[str, Any]:
    """(19.15) Estado público de la ceremonia: el paso de cada custodio y las quejas."""
    cfg = configuracion_de(proceso)
    asignados = _asignados(bd, proceso)
    hechos: dict[str, set[int]] = {}
    for m in _mensajes(bd, proceso):
        hechos.setdefault(m.tipo, set()).add(m.emisor)
    custodios = []
    for i in range(1, cfg.custodios + 1):
        fila = asignados.get(i)
        cuenta = bd.get(Usuario, fila.usuario_id) if fila else None
        pasos = {t: i in hechos.get(t, set()) for t in (COMPROMISOS, COMPARTICION, CONFIRMACION_COMPARTICIONES)}
        pasos[CONFIRMACION_REGISTRO] = i in hechos.get(CONFIRMACION_REGISTRO, set())
        custodios.append(
            {
                "indice": i,
                "usuario": cuenta.usuario if cuenta else None,
                "nombre": cuenta.nombre if cuenta else None,
                "compromisos": pasos[COMPROMISOS],
                "comparticiones": pasos[COMPARTICION],
                "confirmacion_comparticiones": pasos[CONFIRMACION_COMPARTICIONES],
                "confirmacion_registro": pasos[CONFIRMACION_REGISTRO],
            }
        )
    lista_quejas = quejas(bd, proceso)
    return {
        "proceso": proceso.id,
        "estado": proceso.estado,
        "detenida": bool(lista_quejas),
        "custodios": cfg.custodios,
        "cuorum": cfg.cuorum,
        "avance": custodios,
        "quejas": lista_quejas,
        "registro_disponible": len(hechos.get(CONFIRMACION_COMPARTICIONES, set())) == cfg.custodios,
        "h_e": proceso.h_e,
    }


def compromisos_publicados(bd: Session, proceso: ProcesoElectoral) -> list[str]:
    return [m.documento for m in _mensajes(bd, proceso, COMPROMISOS)]


def comparticiones_para(bd: Session, proceso: ProcesoElectoral, receptor: int) -> list[str]:
    return [m.documento for m in _mensajes(bd, proceso, COMPARTICION) if m.receptor == receptor]


def registro(bd: Session, proceso: ProcesoElectoral) -> RegistroLlaves:
    """(19.12) El registro lo calcula el servidor de los compromisos publicados, cuando los n
    custodios confirmaron sus comparticiones."""
    cfg = configuracion_de(proceso)
    if len(_mensajes(bd, proceso, CONFIRMACION_COMPARTICIONES)) != cfg.custodios:
        raise ErrorServidor(
            Codigo.CEREMONIA_FUERA_DE_ORDEN, "Aún faltan confirmaciones de comparticiones; no hay registro.", 409
        )
    compromisos = [deserializar(t, CompromisosCustodio, GRUPO_ESTANDAR) for t in compromisos_publicados(bd, proceso)]
    return construir_registro(cfg, compromisos)


# -------------------------------------------------------------------- recepción de mensajes
def _activa(bd: Session, proceso_id: int) -> tuple[ProcesoElectoral, ConfiguracionEleccion]:
    """(19.6) Bloquea la fila del proceso (serializa los mensajes de un proceso) y exige una
    ceremonia en curso y sin quejas."""
    proceso = bd.get(ProcesoElectoral, proceso_id, with_for_update=True)
    if proceso is None:
        raise ErrorServidor(Codigo.NO_ENCONTRADO, "No se encontró el proceso electoral.", 404)
    if proceso.estado != "ceremonia":
        raise ErrorServidor(
            Codigo.PROCESO_ESTADO_INVALIDO, f"El proceso no está en ceremonia (estado «{proceso.estado}»).", 409
        )
    lista = quejas(bd, proceso)
    if lista:
        q = lista[0]
        raise ErrorServidor(
            Codigo.CEREMONIA_DETENIDA,
            f"La ceremonia está detenida por una queja del custodio {q['acusador']} contra {q['acusado']}.",
            409,
            acusador=q["acusador"],
            acusado=q["acusado"],
        )
    return proceso, configuracion_de(proceso)


def _leer(texto: Any, clase: type[Any]) -> Any:
    """(19.7) Cada documento se decodifica con la biblioteca (forma, versión, tipo, pertenencia al grupo)."""
    if not isinstance(texto, str):
        raise ErrorServidor(Codigo.TIPO_INVALIDO, "Cada documento debe ser texto JSON canónico.", campo="documento")
    try:
        return deserializar(texto, clase, GRUPO_ESTANDAR)
    except ErrorVMRE as e:
        raise ErrorServidor(
            Codigo.CEREMONIA_DOCUMENTO_INVALIDO, f"Documento inválido: {e}", 422, motivo=e.motivo.value
        ) from None


def _propio(indice_documento: int, indice: int) -> None:
    """(19.5) Nadie envía en nombre de otro índice."""
    if indice_documento != indice:
        raise ErrorServidor(
            Codigo.CEREMONIA_INDICE_AJENO,
            f"El documento dice venir del custodio {indice_documento}, pero su cuenta es el custodio {indice}.",
            403,
        )


def _existe(bd: Session, proceso: ProcesoElectoral, tipo: str, emisor: int) -> bool:
    return (
        bd.scalar(
            select(MensajeCeremonia.id).where(
                MensajeCeremonia.proceso_id == proceso.id,
                MensajeCeremonia.tipo == tipo,
                MensajeCeremonia.emisor == emisor,
            )
        )
        is not None
    )


def _duplicado(bd: Session, proceso: ProcesoElectoral, tipo: str, emisor: int) -> None:
    if _existe(bd, proceso, tipo, emisor):
        raise ErrorServidor(Codigo.CEREMONIA_MENSAJE_DUPLICADO, "Ese mensaje ya se había recibido.", 409, tipo=tipo)


def _guardar(
    bd: Session, proceso: ProcesoElectoral, tipo: str, emisor: int, receptor: int, objeto: Any, actor: str
) -> None:
    bd.add(
        MensajeCeremonia(
            proceso_id=proceso.id, tipo=tipo, emisor=emisor, receptor=receptor, documento=serializar(objeto)
        )
    )
    bd.flush()


def _anotar(bd: Session, actor: str, proceso: ProcesoElectoral, accion: str, detalles: dict[str, Any]) -> None:
    bitacora.anotar(bd, actor, Rol.CUSTODIO.value, accion, f"proceso:{proceso.id}", detalles)


def recibir_compromisos(bd: Session, proceso_id: int, usuario: Usuario, texto: Any, actor: str) -> None:
    """(19.8) Compromisos y pruebas de Schnorr (V-K1), una vez por custodio."""
    proceso, cfg = _activa(bd, proceso_id)
    indice = indice_de(bd, proceso, usuario)
    mensaje = _leer(texto, CompromisosCustodio)
    _propio(mensaje.custodio, indice)
    _duplicado(bd, proceso, COMPROMISOS, indice)
    try:
        verificar_compromisos(cfg, mensaje)
    except ErrorVMRE as e:
        raise ErrorServidor(
            Codigo.CEREMONIA_PRUEBA_INVALIDA,
            f"Los compromisos no verifican: {e}",
            422,
            motivo=e.motivo.value,
        ) from None
    _guardar(bd, proceso, COMPROMISOS, indice, 0, mensaje, actor)
    _anotar(bd, actor, proceso, "ceremonia_compromisos", {"indice": indice})


def recibir_comparticiones(bd: Session, proceso_id: int, usuario: Usuario, textos: list[Any], actor: str) -> None:
    """(19.9) Tras los n compromisos: exactamente n−1 comparticiones cifradas, del emisor a cada ℓ ≠ i."""
    proceso, cfg = _activa(bd, proceso_id)
    indice = indice_de(bd, proceso, usuario)
    if len(compromisos_publicados(bd, proceso)) != cfg.custodios:
        raise ErrorServidor(Codigo.CEREMONIA_FUERA_DE_ORDEN, "Aún faltan compromisos de otros custodios.", 409)
    mensajes = [_leer(t, ComparticionCifrada) for t in textos]
    for m in mensajes:
        _propio(m.emisor, indice)
    _duplicado(bd, proceso, COMPARTICION, indice)
    receptores = sorted(m.receptor for m in mensajes)
    esperados = [ell for ell in range(1, cfg.custodios + 1) if ell != indice]
    if receptores != esperados:
        raise ErrorServidor(
            Codigo.CEREMONIA_DOCUMENTO_INVALIDO,
            "Se espera exactamente una compartición para cada uno de los demás custodios.",
            422,
            receptores=receptores,
        )
    for m in mensajes:
        _guardar(bd, proceso, COMPARTICION, indice, m.receptor, m, actor)
    _anotar(bd, actor, proceso, "ceremonia_comparticiones", {"indice": indice, "cantidad": len(mensajes)})


def recibir_confirmacion_comparticiones(bd: Session, proceso_id: int, usuario: Usuario, texto: Any, actor: str) -> None:
    """(19.10) El receptor confirma, tras recibir las n−1 comparticiones dirigidas a él."""
    proceso, cfg = _activa(bd, proceso_id)
    indice = indice_de(bd, proceso, usuario)
    mensaje = _leer(texto, ConfirmacionComparticiones)
    _propio(mensaje.receptor, indice)
    _duplicado(bd, proceso, CONFIRMACION_COMPARTICIONES, indice)
    if len(comparticiones_para(bd, proceso, indice)) != cfg.custodios - 1:
        raise ErrorServidor(Codigo.CEREMONIA_FUERA_DE_ORDEN, "Aún faltan comparticiones dirigidas a usted.", 409)
    if tuple(mensaje.emisores) != tuple(ell for ell in range(1, cfg.custodios + 1) if ell != indice):
        raise ErrorServidor(
            Codigo.CEREMONIA_DOCUMENTO_INVALIDO, "La confirmación debe nombrar a todos los demás custodios.", 422
        )
    _guardar(bd, proceso, CONFIRMACION_COMPARTICIONES, indice, 0, mensaje, actor)
    _anotar(bd, actor, proceso, "ceremonia_confirmacion_comparticiones", {"indice": indice})


def recibir_quejas(bd: Session, proceso_id: int, usuario: Usuario, textos: list[Any], actor: str) -> None:
    """(19.11) Quejas del custodio contra otros (0 = el servidor): detienen la ceremonia para todos."""
    proceso, cfg = _activa(bd, proceso_id)
    indice = indice_de(bd, proceso, usuario)
    mensajes = [_leer(t, Queja) for t in textos]
    if not mensajes:
        raise ErrorServidor(Codigo.CAMPO_FALTANTE, "Envíe al menos una queja.", campo="documentos")
    for m in mensajes:
        _propio(m.acusador, indice)
        if not 0 <= m.acusado <= cfg.custodios or m.acusado == indice or not m.motivo:
            raise ErrorServidor(
                Codigo.CEREMONIA_DOCUMENTO_INVALIDO, "La queja debe nombrar a otro custodio (o 0) y un motivo.", 422
            )
    for m in {m.acusado: m for m in mensajes}.values():
        _guardar(bd, proceso, QUEJA, indice, m.acusado, m, actor)
        _anotar(bd, actor, proceso, "ceremonia_queja", {"indice": indice, "acusado": m.acusado, "motivo": m.motivo})


def recibir_confirmacion_registro(bd: Session, proceso_id: int, usuario: Usuario, texto: Any, actor: str) -> bool:
    """(19.13) Confirmación de H_R; (19.14) con las n, publica K y H_E.  Devuelve si se publicó."""
    proceso, cfg = _activa(bd, proceso_id)
    indice = indice_de(bd, proceso, usuario)
    mensaje = _leer(texto, ConfirmacionRegistro)
    _propio(mensaje.custodio, indice)
    _duplicado(bd, proceso, CONFIRMACION_REGISTRO, indice)
    calculado = registro(bd, proceso)
    if mensaje.hash_registro != calculado.hash_registro:
        raise ErrorServidor(
            Codigo.CEREMONIA_REGISTRO_DISCREPANTE,
            "El H_R confirmado no coincide con el registro publicado; si su cálculo difiere, presente una queja.",
            422,
        )
    _guardar(bd, proceso, CONFIRMACION_REGISTRO, indice, 0, mensaje, actor)
    _anotar(bd, actor, proceso, "ceremonia_confirmacion_registro", {"indice": indice})
    if len(_mensajes(bd, proceso, CONFIRMACION_REGISTRO)) != cfg.custodios:
        return False
    contexto = ContextoEleccion.crear(cfg, calculado.llave_conjunta)
    proceso.registro_llaves = serializar(calculado)
    proceso.contexto = serializar(contexto)
    proceso.h_e = contexto.h_e.hex().upper()
    proceso.estado = "llave_publicada"
    _anotar(bd, actor, proceso, "publicar_llave", {"h_e": proceso.h_e, "h_r": calculado.hash_registro.hex().upper()})
    return True

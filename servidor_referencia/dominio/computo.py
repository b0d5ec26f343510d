"""Cierre y descifrado por umbral a través del servidor (§21); resultados y actas en ``resultados``.

El servidor nunca tiene una compartición: solo combina lo que los custodios del cuórum envían
(``CombinadorDescifrado``) y verifica el resultado (``verificar_resultado``).  Ninguna ruta deja a
una sola parte descifrar: hacen falta k custodios distintos del cuórum (21.6).

Cada paso corre en la transacción de la petición y bajo el candado del tablero (20.10): dos
peticiones que cierran, fijan el cuórum o completan una ronda nunca se cruzan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ActaComputo,
    CombinadorDescifrado,
    ContextoEleccion,
    DescifradoParcial,
    ErrorVMRE,
    EscrutinioCifrado,
    RegistroLlaves,
    RespuestaDescifrado,
    ResultadoContienda,
    RetosDescifrado,
    acumular_verificadas,
    deserializar,
    serializar,
    verificar_resultado,
)

from ..bd.base import ahora
from ..bd.ceremonia import CustodioAsignado
from ..bd.computo import ComputoProceso, MensajeComputo
from ..bd.personal import Usuario
from ..bd.sivei import ProcesoElectoral
from ..bd.votacion import EntradaTableroBD
from ..errores import Codigo, ErrorServidor, no_encontrado
from . import bitacora, tablero_servidor
from .votacion import contexto_de


def _proceso(bd: Session, proceso_id: int) -> ProcesoElectoral:
    proceso = bd.get(ProcesoElectoral, proceso_id, populate_existing=True)
    if proceso is None:
        raise no_encontrado("el proceso electoral")
    return proceso


def _lista(texto: str) -> list[int]:
    return [int(x) for x in texto.split(",") if x]


def _texto(indices: list[int] | tuple[int, ...]) -> str:
    return ",".join(str(i) for i in indices)


def _documentos(bd: Session, proceso_id: int, tipo: str) -> list[str]:
    return list(
        bd.scalars(
            select(EntradaTableroBD.documento)
            .where(EntradaTableroBD.proceso_id == proceso_id, EntradaTableroBD.tipo == tipo)
            .order_by(EntradaTableroBD.indice)
        )
    )


def _contar(bd: Session, proceso_id: int, tipo: str) -> int:
    return int(
        bd.scalar(
            select(func.count())
            .select_from(EntradaTableroBD)
            .where(EntradaTableroBD.proceso_id == proceso_id, EntradaTableroBD.tipo == tipo)
        )
        or 0
    )


def proceso_publico(bd: Session, proceso_id: int) -> ProcesoElectoral:
    return _proceso(bd, proceso_id)


# -------------------------------------------------------------------- cierre


def cerrar(bd: Session, proceso_id: int, *, actor: str, rol: str) -> ComputoProceso:
    """(21.1)–(21.4): cierra la votación, acumula las boletas depositadas y publica el escrutinio."""
    _proceso(bd, proceso_id)
    tablero_servidor.bloquear(bd, proceso_id)  # (20.10): ningún depósito se cruza con el cierre
    proceso = _proceso(bd, proceso_id)
    # (21.1) Solo se cierra una votación abierta, una sola vez.
    if proceso.estado != "abierta":
        raise ErrorServidor(
            Codigo.CIERRE_ESTADO_INVALIDO,
            f"El proceso está en estado «{proceso.estado}»; solo se cierra una votación abierta.",
            409,
            estado_actual=proceso.estado,
        )
    contexto = contexto_de(proceso)
    # (21.2) Las boletas depositadas son los documentos boleta_cifrada del tablero (las desafiadas
    # nunca se cuentan).  Se verificaron completas al recibirlas (20.11f) y nadie las cambia
    # (20.9): se suman sin decodificarlas de nuevo, lo que acorta el candado del cierre.
    boletas = _documentos(bd, proceso.id, "boleta_cifrada")
    # (21.3) A = ∏ α, B = ∏ β por opción (9.1) y H_T (9.2).
    escrutinio = acumular_verificadas(contexto, boletas)
    h_t = escrutinio.hash(contexto)
    # (21.4) El escrutinio entra al tablero tras la última boleta; el proceso queda «cerrada».
    tablero_servidor.agregar(bd, proceso.id, contexto.h_p, serializar(escrutinio))
    proceso.estado = "cerrada"
    fila = ComputoProceso(proceso_id=proceso.id, h_t=h_t.hex().upper(), boletas=len(boletas))
    bd.add(fila)
    bd.flush()
    bitacora.anotar(
        bd, actor, rol, "cerrar_votacion", f"proceso:{proceso.id}", {"h_t": fila.h_t, "boletas": len(boletas)}
    )
    return fila


# -------------------------------------------------------------------- descifrado


@dataclass
class Computo:
    proceso: ProcesoElectoral
    fila: ComputoProceso
    contexto: ContextoEleccion


def _computo(bd: Session, proceso_id: int) -> Computo:
    proceso = _proceso(bd, proceso_id)
    fila = bd.get(ComputoProceso, proceso_id, populate_existing=True)
    if fila is None or proceso.estado not in ("cerrada", "computada"):
        raise ErrorServidor(
            Codigo.COMPUTO_ESTADO_INVALIDO,
            f"El proceso está en estado «{proceso.estado}»; el descifrado empieza al cerrar la votación.",
            409,
            estado_actual=proceso.estado,
        )
    return Computo(proceso, fila, contexto_de(proceso))


def _en_curso(c: Computo) -> None:
    if c.proceso.estado != "cerrada":
        raise ErrorServidor(
            Codigo.COMPUTO_ESTADO_INVALIDO,
            "El cómputo de este proceso ya terminó.",
            409,
            estado_actual=c.proceso.estado,
        )


def indice_custodio(bd: Session, proceso_id: int, usuario: Usuario) -> int:
    """(21.5) El custodio se identifica por su cuenta asignada al índice ℓ del proceso (19.4)."""
    fila = bd.scalar(
        select(CustodioAsignado).where(
            CustodioAsignado.proceso_id == proceso_id, CustodioAsignado.usuario_id == usuario.id
        )
    )
    if fila is None:
        raise ErrorServidor(Codigo.CUSTODIO_NO_ASIGNADO, "Su cuenta no es custodio de este proceso.", 403)
    return fila.indice


def _mensajes(bd: Session, proceso_id: int, ronda: int, tipo: str) -> list[MensajeComputo]:
    return list(
        bd.scalars(
            select(MensajeComputo)
            .where(MensajeComputo.proceso_id == proceso_id, MensajeComputo.ronda == ronda, MensajeComputo.tipo == tipo)
            .order_by(MensajeComputo.id)
        )
    )


def _fijar_cuorum(bd: Session, c: Computo) -> None:
    """(21.6) U = los primeros k custodios disponibles (en orden de aviso) que no están excluidos
    (21.11) ni relevados (21.19)."""
    if c.fila.cuorum:
        return
    fuera = set(_lista(c.fila.excluidos)) | set(_lista(c.fila.relevados))
    disponibles = [m.custodio for m in _mensajes(bd, c.proceso.id, 0, "disponible") if m.custodio not in fuera]
    k = c.contexto.configuracion.cuorum
    if len(disponibles) >= k:
        c.fila.cuorum = _texto(sorted(disponibles[:k]))
        c.fila.cuorum_desde = ahora()


def _ronda_nueva_sin_cuorum(bd: Session, c: Computo) -> None:
    """(21.11), (21.19): ronda r + 1 sin retos; U se forma otra vez con (21.6) sin excluidos ni relevados.
    Los mensajes de la ronda abandonada se quedan fuera del tablero."""
    c.fila.ronda += 1
    c.fila.cuorum = ""
    c.fila.cuorum_desde = None
    c.fila.retos = None
    bd.flush()
    _fijar_cuorum(bd, c)
    bd.flush()


def estado(bd: Session, proceso_id: int) -> dict[str, Any]:
    """Lo público del cómputo (21.12): sirve a los custodios para seguir la ronda."""
    c = _computo(bd, proceso_id)
    ronda = c.fila.ronda
    return {
        "proceso": proceso_id,
        "estado": c.proceso.estado,
        "h_t": c.fila.h_t,
        "boletas": c.fila.boletas,
        "custodios": c.contexto.configuracion.custodios,
        "cuorum_requerido": c.contexto.configuracion.cuorum,
        "ronda": ronda,
        "cuorum": _lista(c.fila.cuorum) or None,
        "disponibles": [m.custodio for m in _mensajes(bd, proceso_id, 0, "disponible")],
        "excluidos": _lista(c.fila.excluidos),
        "relevados": _lista(c.fila.relevados),
        "cuorum_desde": c.fila.cuorum_desde.isoformat() if c.fila.cuorum_desde else None,
        "parciales": sorted(m.custodio for m in _mensajes(bd, proceso_id, ronda, "parcial")),
        "respuestas": sorted(m.custodio for m in _mensajes(bd, proceso_id, ronda, "respuesta")),
        "retos_listos": c.fila.retos is not None,
        "hash_resultado": c.fila.hash_resultado,
    }


def _guardar(bd: Session, mensaje: MensajeComputo) -> None:
    bd.add(mensaje)
    try:
        bd.flush()
    except IntegrityError:
        raise ErrorServidor(
            Codigo.COMPUTO_MENSAJE_DUPLICADO, "Ese mensaje del descifrado ya se había recibido.", 409
        ) from None


def anunciar(bd: Session, proceso_id: int, usuario: Usuario) -> dict[str, Any]:
    """(21.5)–(21.6): el custodio se declara disponible; con k disponibles se fija U."""
    indice = indice_custodio(bd, proceso_id, usuario)
    tablero_servidor.bloquear(bd, proceso_id)
    c = _computo(bd, proceso_id)
    if c.proceso.estado == "computada":  # ya terminó: el estado dice si este custodio estuvo en U
        return {**estado(bd, proceso_id), "custodio": indice}
    if indice in _lista(c.fila.excluidos):
        raise ErrorServidor(
            Codigo.COMPUTO_CUSTODIO_EXCLUIDO,
            "Este custodio quedó excluido del descifrado por enviar una parte inválida.",
            409,
            custodio=indice,
        )
    if indice in _lista(c.fila.relevados):
        # (21.19) Un custodio relevado que vuelve puede entrar al cuórum de una ronda siguiente.
        c.fila.relevados = _texto([i for i in _lista(c.fila.relevados) if i != indice])
    if indice not in [m.custodio for m in _mensajes(bd, proceso_id, 0, "disponible")]:
        _guardar(bd, MensajeComputo(proceso_id=proceso_id, ronda=0, tipo="disponible", custodio=indice))
        bitacora.anotar(
            bd,
            f"usuario:{usuario.id}",
            usuario.rol,
            "computo_disponible",
            f"proceso:{proceso_id}",
            {"custodio": indice},
        )
    _fijar_cuorum(bd, c)
    bd.flush()
    return {**estado(bd, proceso_id), "custodio": indice}


def _en_cuorum(c: Computo, indice: int, ronda: int) -> tuple[int, ...]:
    """(21.7a)–(21.7c) La ronda es la vigente, U ya está fijado y el custodio está en U."""
    if ronda != c.fila.ronda:
        raise ErrorServidor(
            Codigo.COMPUTO_RONDA_VIEJA,
            f"La ronda vigente del descifrado es la {c.fila.ronda}; el mensaje es de la {ronda}.",
            409,
            ronda=c.fila.ronda,
        )
    cuorum = tuple(_lista(c.fila.cuorum))
    if not cuorum:
        raise ErrorServidor(
            Codigo.COMPUTO_CUORUM_INCOMPLETO,
            f"Aún no hay {c.contexto.configuracion.cuorum} custodios disponibles: el cuórum no está fijado.",
            409,
        )
    if indice not in cuorum:
        raise ErrorServidor(
            Codigo.COMPUTO_FUERA_DE_CUORUM,
            "Este custodio no está en el cuórum de esta ronda.",
            403,
            custodio=indice,
            cuorum=list(cuorum),
        )
    return cuorum


def _decodificar(texto: str, clase: type[Any]) -> Any:
    try:
        return deserializar(texto, clase, GRUPO_ESTANDAR)
    except ErrorVMRE as e:
        raise ErrorServidor(
            Codigo.COMPUTO_DOCUMENTO_INVALIDO,
            f"El documento no es un «{clase.__name__}» válido: {e.mensaje}",
            400,
            motivo=e.motivo.value,
        ) from None


def _escrutinio(bd: Session, c: Computo) -> EscrutinioCifrado:
    fila = tablero_servidor.primera_de_tipo(bd, c.proceso.id, "escrutinio_cifrado")
    assert fila is not None
    return deserializar(fila.documento, EscrutinioCifrado, GRUPO_ESTANDAR)


def _registro(c: Computo) -> RegistroLlaves:
    return deserializar(c.proceso.registro_llaves or "", RegistroLlaves, GRUPO_ESTANDAR)


def _combinador(
    bd: Session, c: Computo, cuorum: tuple[int, ...]
) -> tuple[CombinadorDescifrado, dict[int, DescifradoParcial]]:
    combinador = CombinadorDescifrado(c.contexto, _registro(c), _escrutinio(bd, c), cuorum)
    parciales = {}
    for m in _mensajes(bd, c.proceso.id, c.fila.ronda, "parcial"):
        parciales[m.custodio] = deserializar(m.documento, DescifradoParcial, GRUPO_ESTANDAR)
        combinador.recibir_parcial(parciales[m.custodio])
    return combinador, parciales


def recibir_parcial(bd: Session, proceso_id: int, usuario: Usuario, ronda: int, texto: str) -> dict[str, Any]:
    """(21.7): valida el descifrado parcial al recibirlo; con los k emite los retos (21.8)."""
    indice = indice_custodio(bd, proceso_id, usuario)
    parcial: DescifradoParcial = _decodificar(texto, DescifradoParcial)  # (21.7d) forma y subgrupo
    tablero_servidor.bloquear(bd, proceso_id)
    c = _computo(bd, proceso_id)
    _en_curso(c)
    cuorum = _en_cuorum(c, indice, ronda)
    # (21.7e) Es de este custodio, de este escrutinio (H_T), de este cuórum y con una parte por cifrado.
    if parcial.custodio != indice:
        raise ErrorServidor(
            Codigo.COMPUTO_DOCUMENTO_INVALIDO,
            f"El descifrado parcial dice ser del custodio {parcial.custodio}, pero usted es el {indice}.",
            400,
            campo="custodio",
        )
    if parcial.hash_escrutinio.hex().upper() != c.fila.h_t:
        raise ErrorServidor(
            Codigo.COMPUTO_DOCUMENTO_INVALIDO,
            "El descifrado parcial es de otro escrutinio (H_T distinto del publicado).",
            400,
            campo="hash_escrutinio",
            h_t=c.fila.h_t,
        )
    if tuple(parcial.cuorum) != cuorum:
        raise ErrorServidor(
            Codigo.COMPUTO_DOCUMENTO_INVALIDO,
            "El descifrado parcial es para otro cuórum.",
            400,
            campo="cuorum",
            cuorum=list(cuorum),
        )
    esperadas = sum(len(x.cifrados) for x in _escrutinio(bd, c).contiendas)
    if len(parcial.partes) != esperadas:
        raise ErrorServidor(
            Codigo.COMPUTO_DOCUMENTO_INVALIDO,
            f"El descifrado parcial debe tener {esperadas} partes, una por cifrado del escrutinio.",
            400,
            campo="partes",
        )
    # (21.7f) Uno por custodio y ronda.
    _guardar(bd, MensajeComputo(proceso_id=proceso_id, ronda=ronda, tipo="parcial", custodio=indice, documento=texto))
    bitacora.anotar(
        bd,
        f"usuario:{usuario.id}",
        usuario.rol,
        "computo_parcial",
        f"proceso:{proceso_id}",
        {"custodio": indice, "ronda": ronda},
    )
    # (21.8) Con las k partes de U: M, a, b combinados y los retos c (6.7), guardados para la ronda.
    if len(_mensajes(bd, proceso_id, ronda, "parcial")) == len(cuorum):
        c.fila.retos = serializar(_combinador(bd, c, cuorum)[0].retos())
        bd.flush()
    return estado(bd, proceso_id)


def reiniciar(bd: Session, proceso_id: int, usuario: Usuario) -> dict[str, Any]:
    """(21.18) Un custodio de U cuyo proceso murió después de enviar su parcial perdió sus nonces:
    pide una ronda nueva con el MISMO cuórum.  Los mensajes de la ronda vieja se descartan (nunca
    entran al tablero) y todos los de U calculan compromisos nuevos: ningún nonce responde a dos
    retos (§9.4)."""
    indice = indice_custodio(bd, proceso_id, usuario)
    tablero_servidor.bloquear(bd, proceso_id)
    c = _computo(bd, proceso_id)
    _en_curso(c)
    _en_cuorum(c, indice, c.fila.ronda)
    if indice not in [m.custodio for m in _mensajes(bd, proceso_id, c.fila.ronda, "parcial")]:
        raise ErrorServidor(
            Codigo.COMPUTO_ESTADO_INVALIDO,
            "Este custodio no ha enviado su descifrado parcial en esta ronda: no hay nada que reiniciar.",
            409,
        )
    c.fila.ronda += 1
    c.fila.retos = None
    bd.flush()
    bitacora.anotar(
        bd,
        f"usuario:{usuario.id}",
        usuario.rol,
        "computo_reiniciar",
        f"proceso:{proceso_id}",
        {"custodio": indice, "ronda": c.fila.ronda},
    )
    return {**estado(bd, proceso_id), "custodio": indice}


def relevar(bd: Session, proceso_id: int, custodio: int, plazo_s: int, *, actor: str, rol: str) -> dict[str, Any]:
    """(21.19) La administración releva a un custodio de U que calla: no terminó su parte de la ronda
    (no envió su respuesta) tras ``plazo_s`` segundos de fijado U.  Se abre la ronda r + 1 y U se
    forma otra vez sin él (21.6); nadie descifra nada con esto: siguen haciendo falta k custodios."""
    tablero_servidor.bloquear(bd, proceso_id)
    c = _computo(bd, proceso_id)
    _en_curso(c)
    cuorum = _lista(c.fila.cuorum)
    if custodio not in cuorum:
        raise ErrorServidor(
            Codigo.COMPUTO_RELEVO_INVALIDO,
            "Solo se releva a un custodio del cuórum de la ronda vigente.",
            409,
            custodio=custodio,
            cuorum=cuorum or None,
        )
    if custodio in [m.custodio for m in _mensajes(bd, proceso_id, c.fila.ronda, "respuesta")]:
        raise ErrorServidor(
            Codigo.COMPUTO_RELEVO_INVALIDO,
            "Ese custodio ya terminó su parte de esta ronda: no calla.",
            409,
            custodio=custodio,
        )
    transcurridos = (ahora() - (c.fila.cuorum_desde or ahora())).total_seconds()
    if transcurridos < plazo_s:
        raise ErrorServidor(
            Codigo.COMPUTO_RELEVO_PREMATURO,
            f"El cuórum se fijó hace {int(transcurridos)} s; se puede relevar a un custodio después de {plazo_s} s.",
            409,
            segundos_restantes=int(plazo_s - transcurridos) + 1,
        )
    c.fila.relevados = _texto(sorted({*_lista(c.fila.relevados), custodio}))
    _ronda_nueva_sin_cuorum(bd, c)
    bitacora.anotar(
        bd, actor, rol, "computo_relevo", f"proceso:{proceso_id}", {"custodio": custodio, "ronda": c.fila.ronda}
    )
    return {**estado(bd, proceso_id), "relevado": custodio}


def retos(bd: Session, proceso_id: int) -> dict[str, Any]:
    c = _computo(bd, proceso_id)
    if c.fila.retos is None:
        raise ErrorServidor(
            Codigo.COMPUTO_RETOS_PENDIENTES, "Los retos aún no se emiten: faltan descifrados parciales del cuórum.", 409
        )
    return {"ronda": c.fila.ronda, "documento": c.fila.retos}


def recibir_respuesta(bd: Session, proceso_id: int, usuario: Usuario, ronda: int, texto: str) -> dict[str, Any]:
    """(21.9): valida la respuesta; con las k combina, verifica y publica (21.10) o excluye (21.11)."""
    indice = indice_custodio(bd, proceso_id, usuario)
    respuesta: RespuestaDescifrado = _decodificar(texto, RespuestaDescifrado)
    tablero_servidor.bloquear(bd, proceso_id)
    c = _computo(bd, proceso_id)
    _en_curso(c)
    cuorum = _en_cuorum(c, indice, ronda)
    if c.fila.retos is None:
        raise ErrorServidor(Codigo.COMPUTO_RETOS_PENDIENTES, "Los retos de esta ronda aún no se emiten.", 409)
    emitidos = deserializar(c.fila.retos, RetosDescifrado, GRUPO_ESTANDAR)
    if (
        respuesta.custodio != indice
        or respuesta.hash_escrutinio != emitidos.hash_escrutinio
        or len(respuesta.respuestas) != len(emitidos.retos)
    ):
        raise ErrorServidor(
            Codigo.COMPUTO_DOCUMENTO_INVALIDO,
            "La respuesta no es de este custodio, de este escrutinio o no tiene una respuesta por reto.",
            400,
        )
    _guardar(bd, MensajeComputo(proceso_id=proceso_id, ronda=ronda, tipo="respuesta", custodio=indice, documento=texto))
    bitacora.anotar(
        bd,
        f"usuario:{usuario.id}",
        usuario.rol,
        "computo_respuesta",
        f"proceso:{proceso_id}",
        {"custodio": indice, "ronda": ronda},
    )
    respuestas = _mensajes(bd, proceso_id, ronda, "respuesta")
    salida: dict[str, Any] = {}
    if len(respuestas) == len(cuorum):
        salida = _completar(bd, c, cuorum, respuestas)
    return {**estado(bd, proceso_id), **salida}


def _completar(bd: Session, c: Computo, cuorum: tuple[int, ...], respuestas: list[MensajeComputo]) -> dict[str, Any]:
    """(21.10) Combina, verifica y publica; (21.11) si la prueba conjunta falla, excluye al culpable."""
    combinador, parciales = _combinador(bd, c, cuorum)
    retos_ronda = combinador.retos()
    por_custodio = {m.custodio: deserializar(m.documento, RespuestaDescifrado, GRUPO_ESTANDAR) for m in respuestas}
    for i in cuorum:
        combinador.recibir_respuesta(por_custodio[i])
    try:
        resultado = combinador.resultado()
        verificar_resultado(c.contexto, combinador.escrutinio, resultado)
    except ErrorVMRE as e:
        culpable = e.detalles.get("custodio")
        if not isinstance(culpable, int) or culpable not in cuorum:
            raise ErrorServidor(
                Codigo.COMPUTO_DOCUMENTO_INVALIDO, f"El resultado combinado no verifica: {e.mensaje}", 409
            ) from None
        # (21.11) El culpable queda fuera; la ronda siguiente forma U con los demás disponibles.
        c.fila.excluidos = _texto(sorted({*_lista(c.fila.excluidos), culpable}))
        _ronda_nueva_sin_cuorum(bd, c)
        bitacora.anotar(
            bd,
            "servidor",
            "servidor",
            "computo_culpable",
            f"proceso:{c.proceso.id}",
            {"custodio": culpable, "motivo": e.motivo.value},
        )
        return {"culpable": culpable, "motivo": e.motivo.value, "mensaje_culpable": e.mensaje}
    h_p = c.contexto.h_p
    pid = c.proceso.id

    def agregar(documento: object) -> str:
        return tablero_servidor.agregar(bd, pid, h_p, serializar(documento)).hash_objeto.hex().upper()

    # Orden de §14.3: parciales y respuestas en el orden de U.
    for i in cuorum:
        agregar(parciales[i])
    agregar(retos_ronda)
    for i in cuorum:
        agregar(por_custodio[i])
    c.fila.hash_resultado = agregar(resultado)
    conteos = resultado.conteos()
    escrutinio = combinador.escrutinio
    cabeza = tablero_servidor.cabeza(bd, pid)
    agregar(
        ActaComputo(
            c.contexto.h_e,
            resultado.hash_escrutinio,
            _contar(bd, pid, "boleta_cifrada"),
            _contar(bd, pid, "boleta_desafiada"),
            resultado.cuorum,
            tuple(
                ResultadoContienda(
                    x.indice, x.boletas, tuple(conteos[x.indice][o] for o in range(1, len(x.cifrados) + 1))
                )
                for x in escrutinio.contiendas
            ),
            bytes.fromhex(cabeza.cabeza),
            cabeza.entradas,
        )
    )
    c.proceso.estado = "computada"
    bd.flush()
    bitacora.anotar(
        bd,
        "servidor",
        "servidor",
        "computo_publicado",
        f"proceso:{pid}",
        {"h_t": c.fila.h_t, "hash_resultado": c.fila.hash_resultado},
    )
    return {"culpable": None}

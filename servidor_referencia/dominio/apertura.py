"""Apertura de la votación (§20.1): comprobaciones (20.1)–(20.7), tablero inicial y acta de inicio.

El administrador abre un proceso en estado ``llave_publicada``.  Antes de abrir, el servidor
recalcula todo lo que fija la elección y se detiene en la primera discrepancia con un código
estable; solo si todo coincide escribe el tablero inicial en el orden de §14.3 (configuración,
compromisos, registro de llaves, lista de credenciales y sus partes, acta de inicio) y pasa a
``abierta``.  Todo ocurre en la transacción de la petición: si algo falla no queda nada escrito.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ActaInicio,
    ConfiguracionEleccion,
    ContextoEleccion,
    ErrorVMRE,
    ListaCredenciales,
    ParteCredenciales,
    RegistroLlaves,
    decodificar_credenciales_publicas,
    deserializar,
    hash_lista_credenciales_del_grupo,
    serializar,
)

from ..bd.base import ahora
from ..bd.cuentas import CredencialPublica, ListaCredencialesPublicas
from ..bd.lnere import CorteLNERE
from ..bd.sivei import ProcesoElectoral
from ..bd.votacion import EntradaTableroBD
from ..errores import Codigo, ErrorServidor, no_encontrado
from . import bitacora, tablero_servidor

#: Credenciales por documento ``parte_credenciales`` (§14.3; igual que la biblioteca).
TAMANO_PARTE = 1000


@dataclass(frozen=True, slots=True)
class Revision:
    """Lo que las comprobaciones (20.1)–(20.6) dejaron establecido."""

    proceso: ProcesoElectoral
    configuracion: ConfiguracionEleccion
    registro: RegistroLlaves
    contexto: ContextoEleccion
    corte: CorteLNERE
    lista: ListaCredencialesPublicas
    publicas_hex: list[str]
    h_c: bytes

    def hashes(self) -> dict[str, Any]:
        return {
            "h_p": self.configuracion.h_p.hex().upper(),
            "h_m": self.configuracion.h_m.hex().upper(),
            "h_b": self.configuracion.h_b.hex().upper(),
            "h_e": self.contexto.h_e.hex().upper(),
            "hash_registro_llaves": self.registro.hash_registro.hex().upper(),
            "corte": self.corte.id,
            "codigo_integridad_corte": self.corte.codigo_integridad,
            "num_credenciales": len(self.publicas_hex),
            "hash_credenciales": self.h_c.hex().upper(),
        }


def proceso_de(bd: Session, proceso_id: int) -> ProcesoElectoral:
    proceso = bd.get(ProcesoElectoral, proceso_id)
    if proceso is None:
        raise no_encontrado("el proceso electoral")
    return proceso


def _falla(codigo: Codigo, mensaje: str, **detalles: Any) -> ErrorServidor:
    return ErrorServidor(codigo, mensaje, 409, **detalles)


def revisar(bd: Session, proceso_id: int, corte_id: int) -> Revision:
    """Comprobaciones (20.1)–(20.6) en este orden; la primera que falla detiene la apertura."""
    proceso = proceso_de(bd, proceso_id)
    # (20.1) Solo se abre un proceso cuya llave ya se publicó, y una sola vez.
    if proceso.estado != "llave_publicada" or proceso.contexto is None or proceso.registro_llaves is None:
        raise _falla(
            Codigo.APERTURA_ESTADO_INVALIDO,
            f"El proceso está en estado «{proceso.estado}»; solo se abre con la llave publicada.",
            estado_actual=proceso.estado,
        )
    # (20.2) La configuración se decodifica y H_M, H_B recalculados coinciden con los publicados.
    try:
        configuracion = deserializar(proceso.configuracion, ConfiguracionEleccion, GRUPO_ESTANDAR)
    except ErrorVMRE as e:
        raise _falla(
            Codigo.APERTURA_HASH_CONFIGURACION, f"La configuración guardada no se decodifica: {e.mensaje}"
        ) from None
    for nombre, calculado, guardado in (
        ("h_m", configuracion.h_m.hex().upper(), proceso.h_m),
        ("h_b", configuracion.h_b.hex().upper(), proceso.h_b),
    ):
        if calculado != guardado.upper():
            raise _falla(
                Codigo.APERTURA_HASH_CONFIGURACION,
                f"El {nombre.upper()} recalculado de la configuración no coincide con el publicado.",
                campo=nombre,
                calculado=calculado,
                publicado=guardado,
            )
    # (20.3) Registro de llaves y contexto: se decodifican, son de esta configuración y dan H_E.
    try:
        registro = deserializar(proceso.registro_llaves, RegistroLlaves, GRUPO_ESTANDAR)
        contexto = deserializar(proceso.contexto, ContextoEleccion, GRUPO_ESTANDAR)
    except ErrorVMRE as e:
        raise _falla(
            Codigo.APERTURA_REGISTRO_LLAVES, f"El registro de llaves o el contexto no se decodifica: {e.mensaje}"
        ) from None
    if serializar(contexto.configuracion) != serializar(configuracion):
        raise _falla(Codigo.APERTURA_REGISTRO_LLAVES, "El contexto es de otra configuración.", campo="contexto")
    if contexto.h_e.hex().upper() != (proceso.h_e or "").upper() or registro.h_e != contexto.h_e:
        raise _falla(
            Codigo.APERTURA_REGISTRO_LLAVES,
            "El H_E del contexto no coincide con el publicado o con el del registro de llaves.",
            campo="h_e",
            calculado=contexto.h_e.hex().upper(),
            publicado=proceso.h_e,
        )
    if registro.llave_conjunta != contexto.llave or (registro.custodios, registro.cuorum) != (
        configuracion.custodios,
        configuracion.cuorum,
    ):
        raise _falla(
            Codigo.APERTURA_REGISTRO_LLAVES,
            "La llave conjunta o los custodios del registro no son los del contexto.",
            campo="registro_llaves",
        )
    # (20.4) El corte electrónico de la LNERE existe y su código de integridad (16.8) es el SHA-256 de su documento.
    corte = bd.get(CorteLNERE, corte_id)
    if corte is None:
        raise no_encontrado("el corte de la LNERE")
    if corte.modalidad != "electronica":
        raise ErrorServidor(Codigo.CORTE_NO_ELECTRONICO, "El corte no es de la modalidad electrónica.", 409)
    if hashlib.sha256(corte.documento).hexdigest() != corte.codigo_integridad:
        raise _falla(
            Codigo.APERTURA_CORTE_INTEGRIDAD,
            "El código de integridad del corte no coincide con su documento.",
            corte=corte.id,
            publicado=corte.codigo_integridad,
        )
    # (20.5) El corte tiene su lista de credenciales, una por elector.
    lista = bd.scalars(select(ListaCredencialesPublicas).where(ListaCredencialesPublicas.corte_id == corte.id)).first()
    if lista is None:
        raise _falla(Codigo.APERTURA_SIN_CREDENCIALES, "El corte aún no tiene lista de credenciales.", corte=corte.id)
    # (20.6) H_C recalculado (8.9) desde las X guardadas coincide con el publicado, y N con el corte.
    textos = sorted(
        bd.scalars(select(CredencialPublica.publica).where(CredencialPublica.lista_id == lista.id)),
        key=lambda t: int(t, 16),
    )
    try:
        publicas = decodificar_credenciales_publicas(GRUPO_ESTANDAR, textos)
    except ErrorVMRE as e:
        raise _falla(Codigo.APERTURA_HASH_CREDENCIALES, f"Una credencial guardada no es válida: {e.mensaje}") from None
    h_c = hash_lista_credenciales_del_grupo(GRUPO_ESTANDAR, publicas)
    if h_c.hex().upper() != lista.hash_lista.upper() or len(publicas) != lista.num_credenciales:
        raise _falla(
            Codigo.APERTURA_HASH_CREDENCIALES,
            "El H_C recalculado desde las credenciales guardadas no coincide con el publicado.",
            calculado=h_c.hex().upper(),
            publicado=lista.hash_lista,
        )
    if len(publicas) != corte.num_registros or len(set(textos)) != len(textos):
        raise _falla(
            Codigo.APERTURA_HASH_CREDENCIALES,
            "El número de credenciales no es el de electores del corte.",
            credenciales=len(publicas),
            electores=corte.num_registros,
        )
    return Revision(proceso, configuracion, registro, contexto, corte, lista, textos, h_c)


def abrir(
    bd: Session,
    proceso_id: int,
    corte_id: int,
    inicio: datetime | None,
    fin: datetime,
    *,
    actor: str,
    rol: str,
) -> ActaInicio:
    """(20.1)–(20.8): revisa, fija la ventana, escribe el tablero inicial y abre."""
    revision = revisar(bd, proceso_id, corte_id)
    inicio = inicio or ahora()
    # (20.7) La ventana: inicio < fin y fin en el futuro (un simulacro puede comprimirla a minutos).
    if not inicio < fin or fin <= ahora():
        raise ErrorServidor(
            Codigo.VENTANA_INVALIDA,
            "La ventana de votación debe terminar después de empezar y en el futuro.",
            campo="fin",
        )
    proceso = revision.proceso
    tablero_servidor.bloquear(bd, proceso.id)
    ya = bd.scalar(select(func.count()).select_from(EntradaTableroBD).where(EntradaTableroBD.proceso_id == proceso.id))
    if ya:
        raise _falla(Codigo.APERTURA_TABLERO_NO_VACIO, "El tablero de este proceso ya tiene entradas.")
    # (20.8) Tablero inicial en el orden de §14.3; el acta lleva la cabeza y el número de entradas.
    h_p = revision.configuracion.h_p

    def agregar(documento: object) -> None:
        tablero_servidor.agregar(bd, proceso.id, h_p, serializar(documento))

    agregar(revision.configuracion)
    for compromisos in revision.registro.compromisos:
        agregar(compromisos)
    agregar(revision.registro)
    partes = [revision.publicas_hex[i : i + TAMANO_PARTE] for i in range(0, len(revision.publicas_hex), TAMANO_PARTE)]
    agregar(ListaCredenciales(len(revision.publicas_hex), len(partes), revision.h_c))
    for numero, parte in enumerate(partes, start=1):
        agregar(ParteCredenciales(numero, tuple(decodificar_credenciales_publicas(GRUPO_ESTANDAR, parte))))
    cabeza = tablero_servidor.cabeza(bd, proceso.id)
    acta = ActaInicio(
        revision.configuracion.h_p,
        revision.configuracion.h_m,
        revision.configuracion.h_b,
        revision.contexto.h_e,
        revision.registro.hash_registro,
        revision.h_c,
        bytes.fromhex(cabeza.cabeza),
        cabeza.entradas,
    )
    agregar(acta)
    proceso.estado = "abierta"
    proceso.corte_id = revision.corte.id
    proceso.inicio_votacion = inicio
    proceso.fin_votacion = fin
    bd.flush()
    bitacora.anotar(
        bd,
        actor,
        rol,
        "abrir_votacion",
        f"proceso:{proceso.id}",
        {**revision.hashes(), "inicio": inicio.isoformat(), "fin": fin.isoformat()},
    )
    return acta


def acta_de(bd: Session, proceso_id: int) -> tuple[dict[str, Any], int]:
    """El acta de inicio publicada (su documento JSON) y su posición en el tablero."""
    fila = tablero_servidor.primera_de_tipo(bd, proceso_id, "acta_inicio")
    if fila is None:
        raise no_encontrado("el acta de inicio (el proceso no se ha abierto)")
    return json.loads(fila.documento), fila.indice

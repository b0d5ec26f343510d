"""Votación (§20.2): boleta del elector, depósito, desafío de Benaloh y consulta pública.

Comprobaciones de un depósito, en este orden (la primera que falla decide el código):

(20.11a) el proceso está ``abierta``;  (20.11b) la hora está dentro de la ventana;
(20.11c) la cuenta es de un elector del corte del proceso;  (20.11d) el documento se decodifica
como ``BoletaCifrada`` (forma canónica, rangos, subgrupo: V-G);  (20.11e) su estilo es el de la
entidad del elector;  (20.11f) ``verificar_boleta`` (pruebas, hashes de contienda, código de
confirmación, firma de la credencial);  (20.11g) la credencial está en la lista del corte;
después, bajo el candado del tablero (20.10): (20.11h) la cuenta no ha votado;  (20.12) la
credencial no tiene boleta depositada;  (20.13) id de boleta y cifrados nunca vistos.
Entonces se guardan marca, boleta y huellas y se agrega la boleta al tablero, todo en la misma
transacción; el recibo (20.15) sale solo después de confirmarla.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vmre_crypto import (
    GRUPO_ESTANDAR,
    AperturaBoleta,
    BoletaCifrada,
    BoletaDesafiada,
    ContextoEleccion,
    ErrorVMRE,
    a_json,
    abrir_boleta,
    deserializar,
    serializar,
    texto_canonico,
    verificar_boleta,
)

from ..bd.base import ahora
from ..bd.cuentas import CredencialPublica, CuentaElector, ListaCredencialesPublicas
from ..bd.sivei import ProcesoElectoral
from ..bd.votacion import BoletaRecibida, CifradoUsado, EntradaTableroBD, MarcaVoto
from ..errores import Codigo, ErrorServidor, no_encontrado
from . import tablero_servidor, verificacion_paralela
from .eleccion import NO_REGISTRADA, NULO
from .verificacion_paralela import Resumen

_cache: dict[str, ContextoEleccion] = {}
_cache_candado = threading.Lock()


def contexto_de(proceso: ProcesoElectoral) -> ContextoEleccion:
    """El contexto decodificado (una vez por texto: decodificarlo comprueba sus hashes)."""
    texto = proceso.contexto or ""
    clave = hashlib.sha256(texto.encode("utf-8")).hexdigest()
    with _cache_candado:
        contexto = _cache.get(clave)
    if contexto is None:
        contexto = deserializar(texto, ContextoEleccion, GRUPO_ESTANDAR)
        with _cache_candado:
            if len(_cache) > 16:
                _cache.clear()
            _cache[clave] = contexto
    return contexto


def estilo_de(cuenta: CuentaElector) -> str:
    """(20.16) El estilo de boleta de un elector es la clave de dos dígitos de su entidad."""
    return cuenta.entidad


@dataclass(frozen=True, slots=True)
class Recibo:
    """(20.15) Lo que recibe el elector al depositar (o desafiar)."""

    estado: str
    id_boleta: str
    codigo_confirmacion: str
    posicion: int
    tiempo: str
    cabeza_tablero: str
    entradas_tablero: int

    def como_dict(self) -> dict[str, Any]:
        return {
            "estado": self.estado,
            "id_boleta": self.id_boleta,
            "codigo_confirmacion": self.codigo_confirmacion,
            "posicion": self.posicion,
            "tiempo": self.tiempo,
            "cabeza_tablero": self.cabeza_tablero,
            "entradas_tablero": self.entradas_tablero,
        }


def _proceso(bd: Session, proceso_id: int) -> ProcesoElectoral:
    proceso = bd.get(ProcesoElectoral, proceso_id)
    if proceso is None:
        raise no_encontrado("el proceso electoral")
    return proceso


def _habilitado(proceso: ProcesoElectoral, cuenta: CuentaElector) -> None:
    """(20.11c)."""
    if proceso.corte_id is None or cuenta.corte_id != proceso.corte_id:
        raise ErrorServidor(
            Codigo.ELECTOR_NO_HABILITADO,
            "Su cuenta no pertenece a la lista nominal de este proceso.",
            403,
        )


def _abierta(proceso: ProcesoElectoral, momento: datetime) -> None:
    """(20.11a) y (20.11b)."""
    if proceso.estado != "abierta":
        raise ErrorServidor(
            Codigo.VOTACION_NO_ABIERTA,
            f"La votación de este proceso no está abierta (estado «{proceso.estado}»).",
            409,
            estado_actual=proceso.estado,
        )
    inicio, fin = proceso.inicio_votacion, proceso.fin_votacion
    if inicio is None or fin is None or not inicio <= momento < fin:
        raise ErrorServidor(
            Codigo.FUERA_DE_VENTANA,
            "Fuera de la ventana de votación: no se reciben boletas.",
            409,
            inicio=inicio.isoformat() if inicio else None,
            fin=fin.isoformat() if fin else None,
        )


def _estilo_disponible(contexto: ContextoEleccion, cuenta: CuentaElector) -> str:
    estilo = estilo_de(cuenta)
    if estilo not in {e.identificador for e in contexto.manifiesto.estilos}:
        raise ErrorServidor(
            Codigo.SIN_BOLETA_PARA_ENTIDAD,
            "No hay boleta para su entidad en este proceso.",
            409,
            entidad=cuenta.entidad,
        )
    return estilo


def ya_voto(bd: Session, proceso_id: int, cuenta_id: int) -> bool:
    return bd.get(MarcaVoto, (proceso_id, cuenta_id), populate_existing=True) is not None


def boleta_para(bd: Session, proceso_id: int, cuenta: CuentaElector) -> dict[str, Any]:
    """La boleta del elector: estilo de su entidad, sus contiendas y el contexto para cifrar."""
    proceso = _proceso(bd, proceso_id)
    _habilitado(proceso, cuenta)
    if proceso.estado != "abierta" or proceso.contexto is None:
        raise ErrorServidor(Codigo.VOTACION_NO_ABIERTA, "La votación de este proceso no está abierta.", 409)
    contexto = contexto_de(proceso)
    estilo = _estilo_disponible(contexto, cuenta)
    manifiesto = contexto.manifiesto
    contiendas = [a_json(manifiesto.contienda(i)) for i in manifiesto.estilo(estilo).contiendas]
    return {
        "proceso": proceso.id,
        "estilo": estilo,
        "contiendas": contiendas,
        "especiales": [opciones_especiales(c) for c in contiendas],
        "contexto": json.loads(proceso.contexto),
        "h_e": contexto.h_e.hex().upper(),
        "inicio": proceso.inicio_votacion.isoformat() if proceso.inicio_votacion else None,
        "fin": proceso.fin_votacion.isoformat() if proceso.fin_votacion else None,
        "ya_voto": ya_voto(bd, proceso.id, cuenta.id),
    }


def opciones_especiales(contienda: dict[str, Any]) -> dict[str, Any]:
    """(24.6) Qué opción de la contienda es la candidatura no registrada y cuál el voto nulo.

    Se reconocen por su etiqueta (las del manifiesto del simulacro, §19.1); ``None`` si la
    contienda no la tiene.  Es un dato aparte: el documento de la contienda no cambia."""

    def indice(etiqueta: str) -> int | None:
        return next((int(o["indice"]) for o in contienda["opciones"] if o["etiqueta"] == etiqueta), None)

    return {"contienda": contienda["indice"], "no_registrada": indice(NO_REGISTRADA), "nulo": indice(NULO)}


def procesos_para(bd: Session, cuenta: CuentaElector) -> list[dict[str, Any]]:
    """(24.3) Procesos con la votación abierta en los que la cuenta puede votar, y si ya votó."""
    procesos = bd.scalars(
        select(ProcesoElectoral)
        .where(ProcesoElectoral.estado == "abierta", ProcesoElectoral.corte_id == cuenta.corte_id)
        .order_by(ProcesoElectoral.id)
    ).all()
    return [
        {
            "proceso": p.id,
            "nombre": p.nombre,
            "fin": p.fin_votacion.isoformat() if p.fin_votacion else None,
            "ya_voto": ya_voto(bd, p.id, cuenta.id),
        }
        for p in procesos
    ]


def _decodificar(documento: Any, clase: type[Any], campo: str) -> Any:
    """(20.11d) Decodificación estricta con la biblioteca; su motivo viaja en los detalles."""
    if not isinstance(documento, dict):
        raise ErrorServidor(Codigo.BOLETA_INVALIDA, f"«{campo}» debe ser un objeto JSON.", campo=campo)
    try:
        return deserializar(texto_canonico(documento), clase, GRUPO_ESTANDAR)
    except ErrorVMRE as e:
        raise ErrorServidor(
            Codigo.BOLETA_INVALIDA, f"El documento «{campo}» no es válido: {e.mensaje}", 400, motivo=e.motivo.value
        ) from None
    except (ValueError, TypeError):
        raise ErrorServidor(Codigo.BOLETA_INVALIDA, f"El documento «{campo}» no es válido.", campo=campo) from None


def _comprobaciones_previas(
    bd: Session, proceso_id: int, cuenta: CuentaElector, documento: Any
) -> tuple[ProcesoElectoral, ContextoEleccion, BoletaCifrada]:
    """(20.11a)–(20.11e): lo que no necesita criptografía cara."""
    proceso = _proceso(bd, proceso_id)
    _abierta(proceso, ahora())
    _habilitado(proceso, cuenta)
    contexto = contexto_de(proceso)
    boleta: BoletaCifrada = _decodificar(documento, BoletaCifrada, "boleta")
    _estilo_correcto(contexto, cuenta, boleta.estilo)
    return proceso, contexto, boleta


def _en_lista(bd: Session, proceso: ProcesoElectoral, publica: str) -> str:
    """(20.11g) La credencial X de la boleta (en JSON) está en la lista del corte del proceso."""
    existe = bd.scalar(
        select(CredencialPublica.id)
        .join(ListaCredencialesPublicas, CredencialPublica.lista_id == ListaCredencialesPublicas.id)
        .where(ListaCredencialesPublicas.corte_id == proceso.corte_id, CredencialPublica.publica == publica)
    )
    if existe is None:
        raise ErrorServidor(
            Codigo.CREDENCIAL_NO_REGISTRADA,
            "La boleta está firmada con una credencial que no está en la lista de este proceso.",
            403,
        )
    return str(publica)


def _unicidad(
    bd: Session, proceso: ProcesoElectoral, cuenta: CuentaElector, boleta: Resumen, publica: str | None
) -> list[str]:
    """(20.11h), (20.12), (20.13), ya bajo el candado del tablero (20.10)."""
    if ya_voto(bd, proceso.id, cuenta.id):
        raise ErrorServidor(Codigo.YA_VOTO, "Usted ya depositó su boleta en este proceso (LGIPE art. 343).", 409)
    if publica is not None and bd.scalar(
        select(BoletaRecibida.id).where(
            BoletaRecibida.proceso_id == proceso.id, BoletaRecibida.credencial_depositada == publica
        )
    ):
        raise ErrorServidor(
            Codigo.CREDENCIAL_YA_USADA, "Ya hay una boleta depositada con esta credencial de votación.", 409
        )
    if bd.scalar(
        select(BoletaRecibida.id).where(
            BoletaRecibida.proceso_id == proceso.id, BoletaRecibida.id_boleta == boleta.id_boleta
        )
    ):
        raise ErrorServidor(Codigo.BOLETA_DUPLICADA, "Ya se recibió una boleta con ese identificador.", 409)
    huellas = list(boleta.huellas)
    if len(set(huellas)) != len(huellas) or bd.scalar(
        select(CifradoUsado.id).where(CifradoUsado.proceso_id == proceso.id, CifradoUsado.huella.in_(huellas))
    ):
        raise ErrorServidor(Codigo.CIFRADO_DUPLICADO, "La boleta repite un cifrado ya recibido.", 409)
    return huellas


def _guardar(
    bd: Session,
    proceso: ProcesoElectoral,
    contexto: ContextoEleccion,
    boleta: Resumen,
    huellas: list[str],
    documento_tablero: str,
    estado: str,
    credencial_depositada: str | None,
) -> Recibo:
    entrada = tablero_servidor.agregar(bd, proceso.id, contexto.h_p, documento_tablero)
    bd.add(
        BoletaRecibida(
            proceso_id=proceso.id,
            id_boleta=boleta.id_boleta,
            estado=estado,
            codigo_confirmacion=boleta.codigo_confirmacion,
            credencial_depositada=credencial_depositada,
            posicion=entrada.indice,
        )
    )
    bd.add_all([CifradoUsado(proceso_id=proceso.id, huella=h) for h in huellas])
    try:
        bd.flush()
    except IntegrityError:
        raise ErrorServidor(
            Codigo.CONFLICTO, "Otra operación cambió estos datos al mismo tiempo. Intente de nuevo.", 409
        ) from None
    return Recibo(
        estado,
        boleta.id_boleta,
        boleta.codigo_confirmacion,
        entrada.indice,
        entrada.tiempo,
        entrada.hash_entrada.hex().upper(),
        entrada.indice + 1,
    )


def _soltar_lectura(bd: Session) -> None:
    """(20.10) Antes de la verificación cara se termina la transacción de solo lectura de la petición
    (sesión, proceso, cuenta): en SQLite toda transacción es ``BEGIN IMMEDIATE`` y retendría el
    candado de escritura durante la verificación.  Nada se había escrito; lo leído se vuelve a leer
    (y se vuelve a comprobar bajo el candado) al continuar."""
    if not (bd.new or bd.dirty or bd.deleted):
        bd.rollback()


def _estilo_correcto(contexto: ContextoEleccion, cuenta: CuentaElector, estilo_boleta: str) -> None:
    """(20.11e) El estilo de la boleta es el de la entidad del elector."""
    estilo = _estilo_disponible(contexto, cuenta)
    if estilo_boleta != estilo:
        raise ErrorServidor(
            Codigo.ESTILO_NO_CORRESPONDE,
            f"La boleta es del estilo «{estilo_boleta}», pero a su entidad le corresponde «{estilo}».",
            400,
            estilo=estilo_boleta,
            esperado=estilo,
        )


def _en_trabajador(
    bd: Session, proceso_id: int, cuenta: CuentaElector, documento: Any, verificador: verificacion_paralela.Verificador
) -> tuple[ProcesoElectoral, ContextoEleccion, Resumen]:
    """(20.19) (20.11a)–(20.11c) aquí; la decodificación (20.11d) y la verificación (20.11f) en un
    proceso trabajador, una sola vez; el estilo (20.11e) se decide antes que el fallo de (20.11f)."""
    proceso = _proceso(bd, proceso_id)
    _abierta(proceso, ahora())
    _habilitado(proceso, cuenta)
    contexto = contexto_de(proceso)
    if not isinstance(documento, dict):
        raise ErrorServidor(Codigo.BOLETA_INVALIDA, "«boleta» debe ser un objeto JSON.", campo="boleta")
    try:
        texto = texto_canonico(documento)
    except (ValueError, TypeError):
        raise ErrorServidor(Codigo.BOLETA_INVALIDA, "El documento «boleta» no es válido.", campo="boleta") from None
    texto_contexto = proceso.contexto or ""
    _soltar_lectura(bd)
    resumen, fallo = verificador.examinar(contexto.h_e.hex(), texto_contexto, texto)
    if resumen is None:
        assert fallo is not None
        raise ErrorServidor(
            Codigo.BOLETA_INVALIDA, f"El documento «boleta» no es válido: {fallo[1]}", 400, motivo=fallo[0]
        )
    _estilo_correcto(contexto, cuenta, resumen.estilo)
    if fallo is not None:
        raise ErrorServidor(Codigo.BOLETA_INVALIDA, f"La boleta no es válida: {fallo[1]}", 400, motivo=fallo[0])
    return proceso, contexto, resumen


def depositar(
    bd: Session,
    proceso_id: int,
    cuenta: CuentaElector,
    documento: Any,
    verificador: verificacion_paralela.Verificador | None = None,
) -> Recibo:
    """(20.11)–(20.15): comprueba todo, guarda la marca aparte, agrega al tablero y da el recibo.

    Con ``verificador`` (20.19), la decodificación y la verificación corren en un proceso trabajador."""
    if verificador is not None and verificador.procesos > 0:
        proceso, contexto, resumen = _en_trabajador(bd, proceso_id, cuenta, documento, verificador)
    else:
        proceso, contexto, boleta = _comprobaciones_previas(bd, proceso_id, cuenta, documento)
        _soltar_lectura(bd)
        try:
            verificar_boleta(contexto, boleta)  # (20.11f)
        except ErrorVMRE as e:
            raise ErrorServidor(
                Codigo.BOLETA_INVALIDA, f"La boleta no es válida: {e.mensaje}", 400, motivo=e.motivo.value
            ) from None
        resumen = verificacion_paralela.resumir(boleta)
    publica = _en_lista(bd, proceso, resumen.credencial)
    tablero_servidor.bloquear(bd, proceso.id)  # (20.10)
    _abierta(proceso, ahora())  # otra vez, ya bajo el candado: pudo cerrarse mientras se verificaba
    huellas = _unicidad(bd, proceso, cuenta, resumen, publica)
    # (20.14) La marca no lleva ni boleta ni credencial; la boleta no lleva cuenta.
    bd.add(MarcaVoto(proceso_id=proceso.id, cuenta_id=cuenta.id))
    try:
        bd.flush()
    except IntegrityError:
        raise ErrorServidor(
            Codigo.YA_VOTO, "Usted ya depositó su boleta en este proceso (LGIPE art. 343).", 409
        ) from None
    return _guardar(bd, proceso, contexto, resumen, huellas, resumen.texto, "depositada", publica)


def desafiar(
    bd: Session, proceso_id: int, cuenta: CuentaElector, documento: Any, documento_apertura: Any
) -> tuple[Recibo, dict[int, tuple[int, ...]]]:
    """(20.17) Desafío de Benaloh: la apertura se comprueba, la boleta se publica abierta y nunca se
    cuenta; no deja marca, así que el elector puede votar después (con otra boleta)."""
    proceso, contexto, boleta = _comprobaciones_previas(bd, proceso_id, cuenta, documento)
    apertura: AperturaBoleta = _decodificar(documento_apertura, AperturaBoleta, "apertura")
    _soltar_lectura(bd)
    try:
        marcas = abrir_boleta(contexto, boleta, apertura)  # verifica la boleta y luego la abre (V12)
    except ErrorVMRE as e:
        raise ErrorServidor(
            Codigo.BOLETA_INVALIDA, f"La boleta o su apertura no es válida: {e.mensaje}", 400, motivo=e.motivo.value
        ) from None
    resumen = verificacion_paralela.resumir(boleta)
    _en_lista(bd, proceso, resumen.credencial)
    tablero_servidor.bloquear(bd, proceso.id)
    _abierta(proceso, ahora())
    huellas = _unicidad(bd, proceso, cuenta, resumen, None)
    recibo = _guardar(
        bd, proceso, contexto, resumen, huellas, serializar(BoletaDesafiada(boleta, apertura)), "desafiada", None
    )
    return recibo, marcas


def buscar_codigo(bd: Session, proceso_id: int, codigo: str) -> dict[str, Any] | None:
    """(20.18) Consulta pública de un código de confirmación en el tablero."""
    fila = bd.scalars(
        select(BoletaRecibida).where(
            BoletaRecibida.proceso_id == proceso_id, BoletaRecibida.codigo_confirmacion == codigo.strip().upper()
        )
    ).first()
    if fila is None:
        return None
    entrada = bd.scalars(
        select(EntradaTableroBD).where(
            EntradaTableroBD.proceso_id == proceso_id, EntradaTableroBD.indice == fila.posicion
        )
    ).one()
    return {
        "codigo_confirmacion": fila.codigo_confirmacion,
        "estado": fila.estado,
        "id_boleta": fila.id_boleta,
        "posicion": fila.posicion,
        "tiempo": entrada.tiempo,
        "hash_entrada": entrada.hash_entrada.upper(),
    }

"""Verificación completa de un registro publicado, en una sola lectura del tablero (§14.5).

El tablero se lee en flujo; las boletas se verifican por lotes (en este proceso o en
``procesos`` hijos) y de cada una solo se guardan resúmenes (identificador, código, 16 bytes
de credencial, 16 bytes por cifrado), de modo que la memoria queda acotada aun con 150 000
boletas.  Los lotes se combinan en el orden del tablero: el informe es idéntico con
cualquier número de procesos.
"""

from __future__ import annotations

import hashlib
import hmac
import multiprocessing
import os
import re
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

import numpy as np
from gmpy2 import mpz

from ..ceremonia import CompromisosCustodio, RegistroLlaves, construir_registro, verificar_compromisos
from ..descifrado import DescifradoParcial, RespuestaDescifrado, ResultadoDescifrado, RetosDescifrado
from ..eleccion import ConfiguracionEleccion, ContextoEleccion
from ..errores import ErrorVMRE
from ..escrutinio import EscrutinioCifrado
from ..primitivas.elgamal import potencia_de_llave
from ..primitivas.grupo import GRUPO_ESTANDAR
from ..primitivas.hash import Dominio, b, b_entero4
from ..primitivas.parametros import hash_parametros
from ..primitivas.pruebas_zk.descifrado import reto_descifrado, verificar_descifrado, verificar_respuesta_parcial
from ..primitivas.shamir import pesos_lagrange
from ..registro.documentos import (
    TAMANO_PARTE_CREDENCIALES,
    ActaComputo,
    ActaInicio,
    ListaCredenciales,
    ParteCredenciales,
)
from ..registro.escritor import ARCHIVO_TABLERO
from ..registro.tablero import HASH_INICIAL, LineaTablero, hash_entrada, hash_objeto, leer_tablero
from ..serializacion import deserializar, serializar
from .informe import Informe
from .trabajador import (
    ResultadoLote,
    comprobacion_de,
    iniciar_trabajador,
    resumen_de,
    verificar_lote,
    verificar_lote_global,
)

__all__ = ["ErrorEntrada", "verificar_registro"]

#: Boletas por lote enviado a un proceso.
TAMANO_LOTE = 16
_TIEMPO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_ID_BOLETA = re.compile(r"[0-9A-F]{32}")


class ErrorEntrada(Exception):
    """El registro no se puede leer (falta el archivo, una línea no es JSON o no es canónica): salida 2."""


@dataclass
class _Estado:
    """Lo que el verificador recuerda del registro mientras lo lee."""

    fase: str = "configuracion"
    indice: int = 0
    cabeza: bytes = HASH_INICIAL
    tiempo: str = ""
    configuracion: ConfiguracionEleccion | None = None
    compromisos: list[CompromisosCustodio] = field(default_factory=list)
    registro: RegistroLlaves | None = None
    contexto: ContextoEleccion | None = None
    lista: ListaCredenciales | None = None
    partes_vistas: int = 0
    credenciales_vistas: int = 0
    ultima_credencial: int = 0
    hmac_credenciales: Any = None
    h_c: bytes | None = None
    credenciales: set[bytes] = field(default_factory=set)
    # Boletas.
    ids: dict[str, int] = field(default_factory=dict)
    codigos: dict[str, int] = field(default_factory=dict)
    id_por_linea: dict[int, str] = field(default_factory=dict)
    credenciales_depositadas: dict[bytes, int] = field(default_factory=dict)
    depositadas: int = 0
    desafiadas: int = 0
    digestos: array = field(default_factory=lambda: array("Q"))  # type: ignore[type-arg]
    lineas_digestos: array = field(default_factory=lambda: array("I"))  # type: ignore[type-arg]
    productos: dict[int, tuple[list[mpz], list[mpz], int]] = field(default_factory=dict)
    # Escrutinio y descifrado.
    escrutinio: EscrutinioCifrado | None = None
    parciales: list[DescifradoParcial] = field(default_factory=list)
    retos: RetosDescifrado | None = None
    respuestas: list[RespuestaDescifrado] = field(default_factory=list)
    resultado: ResultadoDescifrado | None = None


class _Verificador:
    def __init__(self, informe: Informe, procesos: int) -> None:
        self.informe = informe
        self.procesos = procesos
        self.h_p = hash_parametros(GRUPO_ESTANDAR)
        self.e = _Estado()
        self.lote: list[tuple[int, bool, str]] = []
        self.pendientes: deque[AsyncResult[ResultadoLote]] = deque()
        self.pool: Pool | None = None

    # -- cadena (V-T1) ------------------------------------------------------------------
    def cadena(self, linea: LineaTablero) -> None:
        e, ent = self.e, linea.entrada
        self.informe.revisado("V-T1")
        donde = {"linea": linea.numero, "indice": ent.indice}
        if ent.indice != e.indice:
            self.informe.falla("V-T1", "indice", f"Se esperaba la entrada {e.indice}.", **donde)
        if ent.hash_anterior != e.cabeza:
            self.informe.falla("V-T1", "enlace", "hash_anterior no es el hash de la entrada previa.", **donde)
        if ent.tipo != linea.objeto.get("tipo"):
            self.informe.falla("V-T1", "tipo", "El tipo de la entrada no es el de su documento.", **donde)
        if ent.hash_objeto != hash_objeto(self.h_p, linea.texto_objeto):
            self.informe.falla("V-T1", "hash_objeto", "hash_objeto no corresponde al documento (14.1).", **donde)
        esperado = hash_entrada(self.h_p, ent.indice, ent.tipo, ent.hash_anterior, ent.hash_objeto, ent.tiempo)
        if ent.hash_entrada != esperado:
            self.informe.falla("V-T1", "hash_entrada", "hash_entrada no corresponde a la entrada (14.2).", **donde)
        if not _TIEMPO.fullmatch(ent.tiempo) or ent.tiempo < e.tiempo:
            self.informe.falla("V-T1", "tiempo", "Hora mal formada o anterior a la de la entrada previa.", **donde)
        else:
            e.tiempo = ent.tiempo
        e.indice = ent.indice + 1
        e.cabeza = ent.hash_entrada

    # -- estructura (V-T2) ----------------------------------------------------------------
    def fuera_de_orden(self, linea: LineaTablero, esperado: str) -> None:
        self.informe.falla(
            "V-T2",
            "fuera_de_orden",
            f"Documento «{linea.entrada.tipo}» donde se esperaba {esperado} (§14.3).",
            linea=linea.numero,
        )

    def decodificar(self, linea: LineaTablero, clase: type, **donde: Any) -> Any:
        self.informe.revisado("V-T2")
        self.informe.revisado("V-G")
        try:
            return deserializar(linea.texto_objeto, clase, GRUPO_ESTANDAR)
        except ErrorVMRE as error:
            self.informe.falla(
                comprobacion_de(error), error.motivo.value, error.mensaje, linea=linea.numero, **donde, **error.detalles
            )
            return None

    # -- despacho -------------------------------------------------------------------------
    def procesar(self, linea: LineaTablero) -> None:
        self.cadena(linea)
        tipo, e = linea.entrada.tipo, self.e
        if e.fase == "votacion" and tipo in ("boleta_cifrada", "boleta_desafiada"):
            self.boleta(linea, tipo == "boleta_desafiada")
            return
        if e.fase == "votacion":
            self.cerrar_votacion()
            e.fase = "escrutinio"
        manejador: Callable[[LineaTablero], None] | None = {
            ("configuracion", "configuracion_eleccion"): self.configuracion,
            ("compromisos", "compromisos_custodio"): self.compromiso,
            ("registro", "registro_llaves"): self.registro_llaves,
            ("lista", "lista_credenciales"): self.lista,
            ("partes", "parte_credenciales"): self.parte,
            ("acta_inicio", "acta_inicio"): self.acta_inicio,
            ("escrutinio", "escrutinio_cifrado"): self.escrutinio,
            ("parciales", "descifrado_parcial"): self.parcial,
            ("retos", "retos_descifrado"): self.retos_descifrado,
            ("respuestas", "respuesta_descifrado"): self.respuesta,
            ("resultado", "resultado_descifrado"): self.resultado,
            ("acta_computo", "acta_computo"): self.acta_computo,
        }.get((e.fase, tipo))
        if manejador is None:
            self.fuera_de_orden(linea, f"un documento de la fase «{e.fase}»")
            return
        manejador(linea)

    def terminar(self) -> None:
        if self.e.fase == "votacion":
            self.cerrar_votacion()
            self.e.fase = "escrutinio"
        if self.e.fase != "fin":
            self.informe.falla(
                "V-T2",
                "registro_incompleto",
                f"El registro termina en la fase «{self.e.fase}» (§14.3).",
                fase=self.e.fase,
            )

    # -- configuración, ceremonia y credenciales -------------------------------------------
    def configuracion(self, linea: LineaTablero) -> None:
        configuracion = self.decodificar(linea, ConfiguracionEleccion)
        if configuracion is None:
            raise ErrorEntrada("La configuración de la elección no se puede decodificar.")
        self.e.configuracion = configuracion
        self.informe.revisado("V1")
        if configuracion.h_p != self.h_p:  # pragma: no cover - solo existe el grupo estándar
            self.informe.falla("V1", "h_p", "H_P no es el del grupo estándar.", linea=linea.numero)
        self.e.fase = "compromisos"

    def compromiso(self, linea: LineaTablero) -> None:
        e = self.e
        assert e.configuracion is not None
        esperado = len(e.compromisos) + 1
        mensaje = self.decodificar(linea, CompromisosCustodio, custodio=esperado)
        self.informe.revisado("V2")
        if mensaje is not None:
            if mensaje.custodio != esperado:
                self.informe.falla(
                    "V2", "orden", f"Se esperaban los compromisos del custodio {esperado}.", linea=linea.numero
                )
            try:
                verificar_compromisos(e.configuracion, mensaje)
            except ErrorVMRE as error:
                self.informe.falla("V2", error.motivo.value, error.mensaje, linea=linea.numero, **error.detalles)
            e.compromisos.append(mensaje)
        if len(e.compromisos) == e.configuracion.custodios or mensaje is None:
            e.fase = "registro" if len(e.compromisos) == e.configuracion.custodios else e.fase
            if mensaje is None:
                raise ErrorEntrada("Los compromisos de un custodio no se pueden decodificar.")

    def registro_llaves(self, linea: LineaTablero) -> None:
        e = self.e
        assert e.configuracion is not None
        publicado = self.decodificar(linea, RegistroLlaves)
        self.informe.revisado("V3-V4")
        try:
            recalculado = construir_registro(e.configuracion, e.compromisos)
        except ErrorVMRE as error:
            self.informe.falla("V3-V4", error.motivo.value, error.mensaje, linea=linea.numero)
            raise ErrorEntrada("No se puede reconstruir el registro de llaves.") from error
        if publicado is not None and publicado != recalculado:
            for campo in (
                "custodios",
                "cuorum",
                "compromisos",
                "llave_conjunta",
                "llaves_verificacion",
                "h_e",
                "hash_registro",
            ):
                if getattr(publicado, campo) != getattr(recalculado, campo):
                    self.informe.falla(
                        "V3-V4",
                        "registro_llaves_discrepante",
                        f"El campo «{campo}» no coincide con el recalculado.",
                        linea=linea.numero,
                        campo=campo,
                    )
        e.registro = recalculado
        e.contexto = ContextoEleccion.crear(e.configuracion, recalculado.llave_conjunta)
        e.fase = "lista"

    def lista(self, linea: LineaTablero) -> None:
        e = self.e
        lista = self.decodificar(linea, ListaCredenciales)
        self.informe.revisado("V-C2")
        if lista is None:
            raise ErrorEntrada("El encabezado de la lista de credenciales no se puede decodificar.")
        e.lista = lista
        e.hmac_credenciales = hmac.new(
            self.h_p, bytes([Dominio.LISTA_CREDENCIALES]) + b_entero4(lista.cantidad), hashlib.sha256
        )
        if lista.partes != -(-lista.cantidad // TAMANO_PARTE_CREDENCIALES):
            self.informe.falla("V-C2", "cantidad", "El número de partes no es ⌈N/1000⌉.", linea=linea.numero)
        if lista.cantidad < 1 or lista.partes < 1:
            self.informe.falla("V-C2", "lista_vacia", "La lista de credenciales está vacía.", linea=linea.numero)
        e.fase = "partes" if lista.partes else "acta_inicio"

    def parte(self, linea: LineaTablero) -> None:
        e = self.e
        assert e.lista is not None
        parte = self.decodificar(linea, ParteCredenciales)
        e.partes_vistas += 1
        if parte is not None:
            if parte.parte != e.partes_vistas:
                self.informe.falla("V-C2", "orden", f"Se esperaba la parte {e.partes_vistas}.", linea=linea.numero)
            ultima = parte.parte == e.lista.partes
            tamano = len(parte.publicas)
            if tamano < 1 or tamano > TAMANO_PARTE_CREDENCIALES or (not ultima and tamano != TAMANO_PARTE_CREDENCIALES):
                self.informe.falla(
                    "V-C2",
                    "cantidad",
                    f"Cada parte lleva {TAMANO_PARTE_CREDENCIALES} credenciales (la última, 1..{TAMANO_PARTE_CREDENCIALES}).",
                    linea=linea.numero,
                )
            largo = GRUPO_ESTANDAR.bytes_p
            for x in parte.publicas:
                if x.valor <= e.ultima_credencial:
                    self.informe.falla(
                        "V-C2", "orden", "Las credenciales no están en orden creciente estricto.", linea=linea.numero
                    )
                e.ultima_credencial = max(e.ultima_credencial, int(x.valor))
                codificada = b(x.valor, largo)
                e.hmac_credenciales.update(codificada)
                e.credenciales.add(resumen_de(codificada))
                e.credenciales_vistas += 1
        if e.partes_vistas == e.lista.partes:
            e.h_c = e.hmac_credenciales.digest()
            if e.credenciales_vistas != e.lista.cantidad:
                self.informe.falla(
                    "V-C2", "cantidad", "El número de credenciales no es el declarado.", linea=linea.numero
                )
            if e.h_c != e.lista.hash_lista:
                self.informe.falla("V-C2", "hash_lista", "H_C recalculado no coincide (8.9).", linea=linea.numero)
            e.fase = "acta_inicio"

    def acta_inicio(self, linea: LineaTablero) -> None:
        e = self.e
        assert e.configuracion is not None and e.contexto is not None and e.registro is not None
        cabeza_previa = linea.entrada.hash_anterior
        acta = self.decodificar(linea, ActaInicio)
        self.informe.revisado("V-A1")
        if acta is not None:
            c = e.configuracion
            for campo, esperado, ident in (
                ("h_p", c.h_p, "V1"),
                ("h_m", c.h_m, "V1"),
                ("h_b", c.h_b, "V1"),
                ("h_e", e.contexto.h_e, "V-A1"),
                ("hash_registro_llaves", e.registro.hash_registro, "V-A1"),
                ("hash_credenciales", e.h_c, "V-A1"),
                ("cabeza_tablero", cabeza_previa, "V-A1"),
                ("entradas", linea.entrada.indice, "V-A1"),
            ):
                if getattr(acta, campo) != esperado:
                    self.informe.falla(
                        ident,
                        "acta_inicio",
                        f"«{campo}» del acta de inicio no coincide.",
                        linea=linea.numero,
                        campo=campo,
                    )
        e.fase = "votacion"
        if self.procesos > 1:
            self.pool = multiprocessing.get_context("spawn").Pool(
                self.procesos, initializer=iniciar_trabajador, initargs=(serializar(e.contexto),)
            )

    # -- votación ---------------------------------------------------------------------------
    def boleta(self, linea: LineaTablero, desafiada: bool) -> None:
        self.lote.append((linea.numero, desafiada, linea.texto_objeto))
        if len(self.lote) >= TAMANO_LOTE:
            self.enviar_lote()

    def enviar_lote(self) -> None:
        if not self.lote:
            return
        lote, self.lote = self.lote, []
        if self.pool is None:
            assert self.e.contexto is not None
            self.recibir(verificar_lote(self.e.contexto, lote))
            return
        self.pendientes.append(self.pool.apply_async(verificar_lote_global, (lote,)))
        while len(self.pendientes) > 4 * self.procesos:
            self.recibir(self.pendientes.popleft().get())

    def cerrar_votacion(self) -> None:
        self.enviar_lote()
        while self.pendientes:
            self.recibir(self.pendientes.popleft().get())
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None
        self.unicidad_de_cifrados()

    def recibir(self, resultado: ResultadoLote) -> None:
        e, inf = self.e, self.informe
        for r in resultado.resumenes:
            for ident in ("V-T2", "V-G", "V-B1", "V5", "V6", "V7.A", "V7.B", "V-C1", "V-C3", "V7.C"):
                inf.revisado(ident)
            if r.desafiada:
                inf.revisado("V12")
                e.desafiadas += 1
            else:
                e.depositadas += 1
            if r.falla is not None:
                ident, motivo, mensaje, detalles = r.falla
                detalles = {k: v for k, v in detalles.items() if k != "linea"}
                inf.falla(ident, motivo, mensaje, linea=r.linea, **detalles)
            if r.id_boleta is None:
                continue
            donde = {"linea": r.linea, "boleta": r.id_boleta}
            e.id_por_linea[r.linea] = r.id_boleta
            if not _ID_BOLETA.fullmatch(r.id_boleta):
                inf.falla("V7.C", "id_boleta", "El identificador no son 32 dígitos hexadecimales.", **donde)
            # Valor guardado por id y por código: la línea, negativa si la boleta fue desafiada.
            marca = -r.linea if r.desafiada else r.linea
            assert r.codigo is not None
            for clave, tabla, nombre in (
                (r.id_boleta, e.ids, "Identificador"),
                (r.codigo, e.codigos, "Código de confirmación"),
            ):
                previa = tabla.get(clave)
                if previa is None:
                    tabla[clave] = marca
                    continue
                inf.falla("V7.C", "repetido", f"{nombre} repetido (línea {abs(previa)}).", **donde)
                if (previa < 0) != r.desafiada:
                    # V12.C: una boleta desafiada reaparece depositada (o al revés).
                    inf.falla(
                        "V12.C", "desafiada_depositada", "Una boleta desafiada también aparece depositada.", **donde
                    )
            if r.credencial is None or r.credencial not in e.credenciales:
                inf.falla("V-C3", "credencial_no_inscrita", "La credencial no está en la lista publicada.", **donde)
            inf.revisado("V12.C")
            if not r.desafiada and r.credencial is not None:
                inf.revisado("V-C4")
                previa = e.credenciales_depositadas.get(r.credencial)
                if previa is not None:
                    inf.falla(
                        "V-C4",
                        "credencial_repetida",
                        f"La credencial ya depositó la boleta de la línea {previa}.",
                        **donde,
                    )
                else:
                    e.credenciales_depositadas[r.credencial] = r.linea
            for resumen in r.cifrados:
                e.digestos.extend((resumen >> 64, resumen & 0xFFFFFFFFFFFFFFFF))
            e.lineas_digestos.extend([r.linea] * len(r.cifrados))
        for contienda, (alfas, betas, cuenta) in resultado.productos.items():
            p = GRUPO_ESTANDAR.p
            previos = e.productos.get(contienda)
            if previos is None:
                e.productos[contienda] = (list(alfas), list(betas), cuenta)
            else:
                pa, pb, pc = previos
                e.productos[contienda] = (
                    [x * y % p for x, y in zip(pa, alfas, strict=True)],
                    [x * y % p for x, y in zip(pb, betas, strict=True)],
                    pc + cuenta,
                )

    def unicidad_de_cifrados(self) -> None:
        """V-B2: ningún cifrado de selección se repite entre todas las boletas vistas."""
        e, inf = self.e, self.informe
        # Resúmenes de 128 bits guardados como dos mitades de 64 (alta, baja) intercaladas.
        mitades = np.frombuffer(e.digestos, dtype=np.uint64) if len(e.digestos) else np.zeros(0, dtype=np.uint64)
        alta, baja = mitades[0::2], mitades[1::2]
        inf.revisado("V-B2", int(alta.size))
        if alta.size:
            orden = np.lexsort((baja, alta))
            a, bj = alta[orden], baja[orden]
            repetidos = np.nonzero((a[1:] == a[:-1]) & (bj[1:] == bj[:-1]))[0]
            lineas = np.frombuffer(e.lineas_digestos, dtype=np.uint32)
            for posicion in repetidos[:100]:
                primera = int(lineas[orden[posicion]])
                segunda = int(lineas[orden[posicion + 1]])
                inf.falla(
                    "V-B2",
                    "cifrado_repetido",
                    f"Un cifrado de selección aparece también en la boleta de la línea {primera}.",
                    linea=segunda,
                    boleta=e.id_por_linea.get(segunda, "?"),
                )

    # -- escrutinio y descifrado ------------------------------------------------------------------
    def escrutinio(self, linea: LineaTablero) -> None:
        e, inf = self.e, self.informe
        assert e.contexto is not None
        publicado = self.decodificar(linea, EscrutinioCifrado)
        inf.revisado("V8")
        if publicado is None:
            raise ErrorEntrada("El escrutinio cifrado no se puede decodificar.")
        manifiesto = e.contexto.manifiesto
        if [c.indice for c in publicado.contiendas] != [c.indice for c in manifiesto.contiendas]:
            inf.falla(
                "V8",
                "contiendas",
                "El escrutinio no tiene exactamente las contiendas del manifiesto.",
                linea=linea.numero,
            )
        for contienda_m, contienda in zip(manifiesto.contiendas, publicado.contiendas, strict=False):
            alfas, betas, cuenta = e.productos.get(
                contienda_m.indice, ([mpz(1)] * len(contienda_m.opciones), [mpz(1)] * len(contienda_m.opciones), 0)
            )
            if contienda.boletas != cuenta:
                inf.falla(
                    "V8",
                    "boletas",
                    f"N_c publicado {contienda.boletas}, recalculado {cuenta}.",
                    linea=linea.numero,
                    contienda=contienda.indice,
                )
            if len(contienda.cifrados) != len(alfas):
                inf.falla("V8", "opciones", "Número de opciones distinto del manifiesto.", contienda=contienda.indice)
                continue
            for o, (cifrado, a, bb) in enumerate(zip(contienda.cifrados, alfas, betas, strict=True), start=1):
                if cifrado.alfa.valor != a or cifrado.beta.valor != bb:
                    inf.falla(
                        "V8",
                        "producto",
                        "El cifrado agregado no es el producto de las boletas depositadas (9.1).",
                        linea=linea.numero,
                        contienda=contienda.indice,
                        opcion=o,
                    )
        e.escrutinio = publicado
        e.fase = "parciales"

    def _cuorum_valido(self, cuorum: tuple[int, ...]) -> bool:
        c = self.e.configuracion
        assert c is not None
        return (
            len(cuorum) == c.cuorum
            and list(cuorum) == sorted(set(cuorum))
            and all(1 <= i <= c.custodios for i in cuorum)
        )

    def parcial(self, linea: LineaTablero) -> None:
        e, inf = self.e, self.informe
        assert e.contexto is not None and e.escrutinio is not None and e.configuracion is not None
        parcial = self.decodificar(linea, DescifradoParcial)
        inf.revisado("V-D1")
        if parcial is None:
            raise ErrorEntrada("Un descifrado parcial no se puede decodificar.")
        posicion = len(e.parciales)
        donde = {"linea": linea.numero, "custodio": parcial.custodio}
        if parcial.hash_escrutinio != e.escrutinio.hash(e.contexto):
            inf.falla("V-D1", "hash_escrutinio", "El parcial no es del escrutinio publicado (H_T).", **donde)
        if (
            not self._cuorum_valido(parcial.cuorum)
            or parcial.custodio != parcial.cuorum[min(posicion, len(parcial.cuorum) - 1)]
        ):
            inf.falla("V-D1", "cuorum", "Cuórum inválido o parcial fuera del orden del cuórum.", **donde)
        if e.parciales and parcial.cuorum != e.parciales[0].cuorum:
            inf.falla("V-D1", "cuorum", "Los parciales anuncian cuórums distintos.", **donde)
        if len(parcial.partes) != len(e.escrutinio.cifrados()):
            inf.falla("V-D1", "partes", "Número de partes distinto del número de opciones.", **donde)
            raise ErrorEntrada("Descifrado parcial con un número de partes inválido.")
        e.parciales.append(parcial)
        if len(e.parciales) == e.configuracion.cuorum:
            e.fase = "retos"

    def retos_descifrado(self, linea: LineaTablero) -> None:
        e, inf = self.e, self.informe
        assert e.contexto is not None and e.escrutinio is not None
        retos = self.decodificar(linea, RetosDescifrado)
        inf.revisado("V-D1")
        if retos is None:
            raise ErrorEntrada("Los retos de descifrado no se pueden decodificar.")
        donde = {"linea": linea.numero}
        if retos.hash_escrutinio != e.escrutinio.hash(e.contexto) or retos.cuorum != e.parciales[0].cuorum:
            inf.falla("V-D1", "retos", "Los retos no son del escrutinio o del cuórum de los parciales.", **donde)
        lista = e.escrutinio.cifrados()
        if len(retos.retos) != len(lista):
            raise ErrorEntrada("Número de retos inválido.")
        grupo = e.contexto.grupo
        for posicion, (contienda, opcion, cifrado) in enumerate(lista):
            inf.revisado("V-D2")
            m, a, bb = grupo.uno, grupo.uno, grupo.uno
            for parcial in e.parciales:
                parte = parcial.partes[posicion]
                m, a, bb = m * parte.m, a * parte.a, bb * parte.b
            if reto_descifrado(e.contexto.h_e, e.contexto.llave, cifrado, a, bb, m) != retos.retos[posicion]:
                inf.falla(
                    "V-D2",
                    "reto",
                    "El reto no es el hash de los compromisos combinados (6.7).",
                    contienda=contienda,
                    opcion=opcion,
                    **donde,
                )
        e.retos = retos
        e.fase = "respuestas"

    def respuesta(self, linea: LineaTablero) -> None:
        e, inf = self.e, self.informe
        assert e.retos is not None and e.configuracion is not None and e.escrutinio is not None
        respuesta = self.decodificar(linea, RespuestaDescifrado)
        inf.revisado("V-D1")
        if respuesta is None:
            raise ErrorEntrada("Una respuesta de descifrado no se puede decodificar.")
        posicion = len(e.respuestas)
        if (
            respuesta.hash_escrutinio != e.retos.hash_escrutinio
            or posicion >= len(e.retos.cuorum)
            or respuesta.custodio != e.retos.cuorum[posicion]
        ):
            inf.falla(
                "V-D1",
                "respuesta",
                "Respuesta ajena al escrutinio o fuera del orden del cuórum.",
                linea=linea.numero,
                custodio=respuesta.custodio,
            )
        if len(respuesta.respuestas) != len(e.escrutinio.cifrados()):
            raise ErrorEntrada("Número de respuestas inválido.")
        e.respuestas.append(respuesta)
        if len(e.respuestas) == e.configuracion.cuorum:
            e.fase = "resultado"

    def resultado(self, linea: LineaTablero) -> None:
        e, inf = self.e, self.informe
        assert e.contexto is not None and e.escrutinio is not None and e.retos is not None and e.registro is not None
        resultado = self.decodificar(linea, ResultadoDescifrado)
        inf.revisado("V-D1")
        if resultado is None:
            raise ErrorEntrada("El resultado descifrado no se puede decodificar.")
        contexto = e.contexto
        lista = e.escrutinio.cifrados()
        donde0 = {"linea": linea.numero}
        if resultado.hash_escrutinio != e.escrutinio.hash(contexto) or resultado.cuorum != e.retos.cuorum:
            inf.falla("V-D1", "resultado", "El resultado no es del escrutinio o del cuórum publicados.", **donde0)
        if len(resultado.opciones) != len(lista):
            inf.falla("V-D1", "opciones", "Número de opciones distinto del escrutinio.", **donde0)
            raise ErrorEntrada("Resultado con un número de opciones inválido.")
        cuorum = e.retos.cuorum
        pesos = pesos_lagrange(contexto.grupo, cuorum) if self._cuorum_valido(cuorum) else {}
        por_contienda = {c.indice: c.boletas for c in e.escrutinio.contiendas}
        for posicion, ((contienda, opcion, cifrado), o) in enumerate(zip(lista, resultado.opciones, strict=True)):
            donde = {"linea": linea.numero, "contienda": contienda, "opcion": opcion}
            if (o.contienda, o.opcion) != (contienda, opcion):
                inf.falla("V-D1", "orden", "Opción fuera del orden canónico.", **donde)
            inf.revisado("V9")
            inf.revisado("V10")
            m = contexto.grupo.uno
            for parcial in e.parciales:
                m = m * parcial.partes[posicion].m
            c = e.retos.retos[posicion]
            v_total = sum((r.respuestas[posicion].valor for r in e.respuestas), start=mpz(0)) % contexto.grupo.q
            if o.m != m:
                inf.falla("V-D2", "m", "M publicado no es ∏ M_i de los parciales.", **donde)
            if o.prueba.reto != c or o.prueba.respuesta.valor != v_total:
                inf.falla("V-D2", "prueba", "La prueba publicada no es (c, Σ v_i) de los mensajes del cuórum.", **donde)
            for parcial, respuesta in zip(e.parciales, e.respuestas, strict=False):
                i = parcial.custodio
                if i not in pesos:
                    continue
                parte = parcial.partes[posicion]
                try:
                    verificar_respuesta_parcial(
                        e.registro.llave_verificacion(i) ** pesos[i],
                        cifrado.alfa,
                        parte.m,
                        parte.a,
                        parte.b,
                        c,
                        respuesta.respuestas[posicion],
                        custodio=i,
                    )
                except ErrorVMRE as error:
                    inf.falla("V-D2", error.motivo.value, error.mensaje, custodio=i, **donde)
            try:
                verificar_descifrado(contexto.h_e, contexto.llave, cifrado, o.m, o.prueba)
            except ErrorVMRE as error:
                inf.falla("V9", error.motivo.value, error.mensaje, **donde)
            cota = por_contienda[contienda]
            if not 0 <= o.conteo <= cota or potencia_de_llave(contexto.llave, o.conteo) != cifrado.beta / o.m:
                inf.falla("V10", "conteo", "B·M⁻¹ ≠ K^t o t fuera de 0..N_c.", **donde)
        e.resultado = resultado
        e.fase = "acta_computo"

    def acta_computo(self, linea: LineaTablero) -> None:
        e, inf = self.e, self.informe
        assert e.contexto is not None and e.escrutinio is not None and e.resultado is not None
        acta = self.decodificar(linea, ActaComputo)
        inf.revisado("V-A2")
        e.fase = "fin"
        if acta is None:
            return
        conteos = e.resultado.conteos()
        resultados = [
            (c.indice, c.boletas, tuple(conteos.get(c.indice, {}).get(o, -1) for o in range(1, len(c.cifrados) + 1)))
            for c in e.escrutinio.contiendas
        ]
        publicados = [(r.contienda, r.boletas, r.conteos) for r in acta.resultados]
        for campo, valor, esperado in (
            ("h_e", acta.h_e, e.contexto.h_e),
            ("hash_escrutinio", acta.hash_escrutinio, e.escrutinio.hash(e.contexto)),
            ("boletas_depositadas", acta.boletas_depositadas, e.depositadas),
            ("boletas_desafiadas", acta.boletas_desafiadas, e.desafiadas),
            ("cuorum", acta.cuorum, e.resultado.cuorum),
            ("resultados", publicados, resultados),
            ("cabeza_tablero", acta.cabeza_tablero, linea.entrada.hash_anterior),
            ("entradas", acta.entradas, linea.entrada.indice),
        ):
            if valor != esperado:
                inf.falla(
                    "V-A2",
                    "acta_computo",
                    f"«{campo}» del acta de cómputo no coincide.",
                    linea=linea.numero,
                    campo=campo,
                )


def verificar_registro(
    directorio: Path,
    procesos: int | None = None,
    progreso: Callable[[int], object] | None = None,
) -> Informe:
    """Verifica el registro de ``directorio``; lanza ``ErrorEntrada`` si no se puede leer (salida 2).

    ``progreso`` recibe los bytes leídos de cada línea (para una barra de progreso).
    """
    ruta = directorio / ARCHIVO_TABLERO
    if not ruta.is_file():
        raise ErrorEntrada(f"No existe {ruta}.")
    procesos = procesos or os.cpu_count() or 1
    informe = Informe()
    verificador = _Verificador(informe, procesos)
    try:
        for linea in leer_tablero(ruta):
            verificador.procesar(linea)
            if progreso is not None:
                progreso(linea.longitud)
        verificador.terminar()
    except ErrorVMRE as error:
        raise ErrorEntrada(str(error)) from error
    finally:
        if verificador.pool is not None:
            verificador.pool.terminate()
    return informe

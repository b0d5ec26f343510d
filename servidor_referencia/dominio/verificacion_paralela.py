"""(20.19) Verificación de boletas en procesos aparte.

``verificar_boleta`` es cálculo puro (≈ 40 ms por boleta gubernatura-10, más ≈ 6 ms de
decodificarla) y retiene el GIL: con un solo proceso, los hilos de waitress se turnan y el
servidor acepta tantas boletas por segundo como un núcleo verifica.  Aquí ese trabajo se manda a
un ``ProcessPoolExecutor`` con contexto ``spawn`` (20.19a):

- (20.19b) el trabajador recibe el texto canónico de la boleta, el del contexto y H_E; decodifica
  el contexto una sola vez por proceso y H_E (caché del trabajador) y la boleta una sola vez;
- (20.19c) devuelve un ``Resumen`` de la boleta y, aparte, el fallo de la verificación como
  (motivo, mensaje): ``ErrorVMRE`` no viaja entre procesos; el hilo decide el orden de códigos;
- (20.19d) la petición espera fuera de toda transacción y luego hace la parte de la base;
- (20.19e) tamaño 0 = en el hilo; si el grupo se rompe, la boleta se verifica en el hilo y el
  grupo se rehace en el siguiente uso.

El grupo se crea con ``configurar(app, n)`` (``vmre servidor iniciar --procesos-verificacion``,
por omisión tantos como núcleos) y se apaga con ``cerrar(app)`` o al terminar el proceso.
"""

from __future__ import annotations

import atexit
import hashlib
import multiprocessing
import os
import threading
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from vmre_crypto import (
    GRUPO_ESTANDAR,
    BoletaCifrada,
    ContextoEleccion,
    ErrorVMRE,
    a_json,
    deserializar,
    serializar,
    verificar_boleta,
)

CLAVE_EXTENSION = "vmre_verificacion"

# Caché de cada proceso trabajador: H_E → contexto decodificado (con sus tablas de base fija).
_contextos: dict[str, ContextoEleccion] = {}


def _contexto_local(h_e: str, texto_contexto: str) -> ContextoEleccion:
    contexto = _contextos.get(h_e)
    if contexto is None:
        contexto = deserializar(texto_contexto, ContextoEleccion, GRUPO_ESTANDAR)
        if len(_contextos) > 8:
            _contextos.clear()
        _contextos[h_e] = contexto
    return contexto


def _preparar_trabajador() -> None:
    """Inicializador: importa la biblioteca y construye la tabla de base fija de g."""
    GRUPO_ESTANDAR.tabla(GRUPO_ESTANDAR.g)


def _calentar(h_e: str, texto_contexto: str) -> int:
    contexto = _contexto_local(h_e, texto_contexto)
    contexto.grupo.tabla(contexto.llave.valor)
    return os.getpid()


@dataclass(frozen=True, slots=True)
class Resumen:
    """(20.19c) Lo que la base necesita de una boleta ya decodificada (sin volver a decodificarla)."""

    id_boleta: str
    estilo: str
    codigo_confirmacion: str  # hexadecimal en mayúsculas
    credencial: str  # X en JSON, como en la lista de credenciales
    huellas: tuple[str, ...]  # (20.13)
    texto: str  # serializar(boleta): el documento del tablero


def huellas(boleta: BoletaCifrada) -> tuple[str, ...]:
    """(20.13) Huella de 128 bits de cada cifrado: SHA-256(α ∥ β) en hexadecimal, truncado."""
    salida = []
    for contienda in boleta.contiendas:
        for seleccion in contienda.selecciones:
            c = seleccion.cifrado
            salida.append(hashlib.sha256((a_json(c.alfa) + a_json(c.beta)).encode("ascii")).hexdigest()[:32])
    return tuple(salida)


def resumir(boleta: BoletaCifrada) -> Resumen:
    return Resumen(
        boleta.id_boleta,
        boleta.estilo,
        boleta.codigo_confirmacion.hex().upper(),
        str(a_json(boleta.credencial)),
        huellas(boleta),
        serializar(boleta),
    )


def examinar(h_e: str, texto_contexto: str, texto_boleta: str) -> tuple[Resumen | None, tuple[str, str] | None]:
    """(20.19b)–(20.19c) Decodifica (20.11d) y verifica (20.11f) en el trabajador.

    Da ``(None, fallo)`` si no se decodifica; ``(resumen, fallo)`` si se decodifica, con
    ``fallo = None`` si además es válida.  El hilo decide el orden de los códigos: el estilo
    (20.11e) se comprueba antes de informar el fallo de la verificación."""
    try:
        boleta = deserializar(texto_boleta, BoletaCifrada, GRUPO_ESTANDAR)
    except ErrorVMRE as e:
        return None, (e.motivo.value, e.mensaje)
    return resumir(boleta), verificar_texto(h_e, texto_contexto, boleta)


def verificar_texto(h_e: str, texto_contexto: str, texto_boleta: str | BoletaCifrada) -> tuple[str, str] | None:
    """(20.19b) Verificación sola (la boleta como texto o ya decodificada)."""
    # ErrorVMRE no se puede reconstruir al volver del trabajador (rompería el grupo): viaja como
    # motivo y mensaje.
    try:
        contexto = _contexto_local(h_e, texto_contexto)
        boleta = (
            texto_boleta
            if isinstance(texto_boleta, BoletaCifrada)
            else deserializar(texto_boleta, BoletaCifrada, GRUPO_ESTANDAR)
        )
        verificar_boleta(contexto, boleta)
    except ErrorVMRE as e:
        return e.motivo.value, e.mensaje
    return None


class Verificador:
    """Grupo de procesos de verificación de una app (o ninguno, con tamaño 0)."""

    def __init__(self, procesos: int) -> None:
        self.procesos = max(0, int(procesos))
        self._grupo: ProcessPoolExecutor | None = None
        self._candado = threading.Lock()
        self._cerrado = False

    def _grupo_vivo(self) -> ProcessPoolExecutor | None:
        if self.procesos == 0 or self._cerrado:
            return None
        with self._candado:
            if self._grupo is None:
                self._grupo = ProcessPoolExecutor(
                    max_workers=self.procesos,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_preparar_trabajador,
                )
            return self._grupo

    def arrancar(self) -> None:
        """(20.19a) Arranca los trabajadores ya (sin esperar): el primer depósito no paga el arranque."""
        grupo = self._grupo_vivo()
        if grupo is not None:
            for _ in range(self.procesos):
                grupo.submit(os.getpid)

    def calentar(self, h_e: str, texto_contexto: str) -> None:
        """Arranca los trabajadores y les hace decodificar el contexto (sin esperar)."""
        grupo = self._grupo_vivo()
        if grupo is not None:
            for _ in range(self.procesos):
                grupo.submit(_calentar, h_e, texto_contexto)

    def verificar(self, h_e: str, texto_contexto: str, texto_boleta: str) -> tuple[str, str] | None:
        """Verifica y espera; en el hilo si no hay grupo o si se rompió (20.19e)."""
        grupo = self._grupo_vivo()
        if grupo is not None:
            try:
                return grupo.submit(verificar_texto, h_e, texto_contexto, texto_boleta).result()
            except BrokenProcessPool:
                self._descartar(grupo)
        return verificar_texto(h_e, texto_contexto, texto_boleta)

    def examinar(
        self, h_e: str, texto_contexto: str, texto_boleta: str
    ) -> tuple[Resumen | None, tuple[str, str] | None]:
        """(20.19b)–(20.19d) Decodifica y verifica en un trabajador y espera; en el hilo sin grupo."""
        grupo = self._grupo_vivo()
        if grupo is not None:
            try:
                return grupo.submit(examinar, h_e, texto_contexto, texto_boleta).result()
            except BrokenProcessPool:
                self._descartar(grupo)
        return examinar(h_e, texto_contexto, texto_boleta)

    def _descartar(self, grupo: ProcessPoolExecutor) -> None:
        """(20.19e) Un trabajador murió: el grupo roto se suelta y el siguiente uso crea otro."""
        with self._candado:
            if self._grupo is grupo:
                self._grupo = None
        grupo.shutdown(wait=False, cancel_futures=True)

    def cerrar(self) -> None:
        with self._candado:
            self._cerrado = True
            grupo, self._grupo = self._grupo, None
        if grupo is not None:
            grupo.shutdown(wait=True, cancel_futures=True)


_SIN_GRUPO = Verificador(0)


def configurar(app: Any, procesos: int) -> Verificador:
    """Instala en la app un verificador con ``procesos`` trabajadores (0: en el hilo)."""
    anterior = app.extensions.get(CLAVE_EXTENSION)
    if anterior is not None:
        anterior.cerrar()
    verificador = Verificador(procesos)
    app.extensions[CLAVE_EXTENSION] = verificador
    weakref.finalize(app, verificador.cerrar)
    atexit.register(verificador.cerrar)
    return verificador


def de_la_app(app: Any) -> Verificador:
    """El verificador de la app; sin configurar, verificación en el hilo."""
    return app.extensions.get(CLAVE_EXTENSION, _SIN_GRUPO)  # type: ignore[no-any-return]


def cerrar(app: Any) -> None:
    verificador = app.extensions.pop(CLAVE_EXTENSION, None)
    if verificador is not None:
        verificador.cerrar()

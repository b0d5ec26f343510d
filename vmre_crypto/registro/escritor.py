"""Escritura del registro publicado: cada documento entra al tablero en el orden de §14.3."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from ..boletas import AperturaBoleta, BoletaCifrada
from ..ceremonia import RegistroLlaves
from ..credenciales import hash_lista_credenciales
from ..descifrado import DescifradoCompleto
from ..eleccion import ConfiguracionEleccion, ContextoEleccion
from ..escrutinio import EscrutinioCifrado
from ..primitivas.grupo import ElementoP
from ..serializacion import serializar
from .documentos import (
    TAMANO_PARTE_CREDENCIALES,
    ActaComputo,
    ActaInicio,
    BoletaDesafiada,
    ListaCredenciales,
    ParteCredenciales,
    ResultadoContienda,
)
from .tablero import EscritorTablero

__all__ = ["ARCHIVO_TABLERO", "EscritorRegistro", "reloj_fijo", "reloj_utc"]

#: Nombre del único archivo del registro.
ARCHIVO_TABLERO = "tablero.jsonl"


def reloj_utc() -> str:
    """Hora UTC actual en ISO 8601 con segundos (``AAAA-MM-DDThh:mm:ssZ``)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def reloj_fijo(inicio: str = "2027-06-06T08:00:00Z") -> Callable[[], str]:
    """Reloj determinista (ejemplos y vectores): un segundo por entrada a partir de ``inicio``."""
    base = dt.datetime.strptime(inicio, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    contador = [0]

    def reloj() -> str:
        valor = base + dt.timedelta(seconds=contador[0])
        contador[0] += 1
        return valor.strftime("%Y-%m-%dT%H:%M:%SZ")

    return reloj


class EscritorRegistro:
    """Escribe ``tablero.jsonl`` en ``directorio``; úsese como gestor de contexto."""

    def __init__(
        self, directorio: Path, configuracion: ConfiguracionEleccion, reloj: Callable[[], str] = reloj_utc
    ) -> None:
        directorio.mkdir(parents=True, exist_ok=True)
        self.ruta = directorio / ARCHIVO_TABLERO
        self._archivo = self.ruta.open("x", encoding="utf-8", newline="\n")
        self.configuracion = configuracion
        self.reloj = reloj
        self.tablero = EscritorTablero(configuracion.h_p, self._archivo)
        self.depositadas = 0
        self.desafiadas = 0
        self.tablero.agregar(serializar(configuracion), reloj())

    def __enter__(self) -> EscritorRegistro:
        return self

    def __exit__(
        self, tipo: type[BaseException] | None, valor: BaseException | None, traza: TracebackType | None
    ) -> None:
        self._archivo.close()

    def _agregar(self, documento: object) -> None:
        self.tablero.agregar(serializar(documento), self.reloj())

    def ceremonia(self, registro: RegistroLlaves) -> None:
        for mensaje in registro.compromisos:
            self._agregar(mensaje)
        self._agregar(registro)

    def credenciales(self, publicas: Iterable[ElementoP]) -> bytes:
        """Publica la lista (encabezado y partes en orden creciente); devuelve H_C."""
        lista = sorted(publicas, key=lambda x: int(x.valor))
        h_c = hash_lista_credenciales(self.configuracion.h_p, lista)
        partes = [lista[i : i + TAMANO_PARTE_CREDENCIALES] for i in range(0, len(lista), TAMANO_PARTE_CREDENCIALES)]
        self._agregar(ListaCredenciales(len(lista), len(partes), h_c))
        for numero, parte in enumerate(partes, start=1):
            self._agregar(ParteCredenciales(numero, tuple(parte)))
        return h_c

    def acta_inicio(self, contexto: ContextoEleccion, registro: RegistroLlaves, h_c: bytes) -> None:
        configuracion = contexto.configuracion
        self._agregar(
            ActaInicio(
                configuracion.h_p,
                configuracion.h_m,
                configuracion.h_b,
                contexto.h_e,
                registro.hash_registro,
                h_c,
                self.tablero.cabeza,
                self.tablero.indice,
            )
        )

    def boleta(self, boleta: BoletaCifrada) -> None:
        self.depositadas += 1
        self._agregar(boleta)

    def desafiada(self, boleta: BoletaCifrada, apertura: AperturaBoleta) -> None:
        self.desafiadas += 1
        self._agregar(BoletaDesafiada(boleta, apertura))

    def descifrado(
        self, contexto: ContextoEleccion, escrutinio: EscrutinioCifrado, completo: DescifradoCompleto
    ) -> None:
        """Escrutinio, mensajes del descifrado, resultado y acta de cómputo (§14.3)."""
        self._agregar(escrutinio)
        for parcial in completo.parciales:
            self._agregar(parcial)
        self._agregar(completo.retos)
        for respuesta in completo.respuestas:
            self._agregar(respuesta)
        resultado = completo.resultado
        self._agregar(resultado)
        conteos = resultado.conteos()
        resultados = tuple(
            ResultadoContienda(c.indice, c.boletas, tuple(conteos[c.indice][o] for o in range(1, len(c.cifrados) + 1)))
            for c in escrutinio.contiendas
        )
        self._agregar(
            ActaComputo(
                contexto.h_e,
                resultado.hash_escrutinio,
                self.depositadas,
                self.desafiadas,
                resultado.cuorum,
                resultados,
                self.tablero.cabeza,
                self.tablero.indice,
            )
        )

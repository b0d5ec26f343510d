"""Tablero de avisos: cadena de hashes de solo agregar (§14.2 de la especificación).

Cada entrada lleva su índice (desde 0), el tipo del documento, el hash de la entrada anterior
(32 ceros para la primera), el hash de los bytes canónicos de su documento y la hora UTC:

    hash_objeto  = H(H_P; 0x54 ∥ bytes canónicos UTF-8 del documento)                 (14.1)
    hash_entrada = H(H_P; 0x55 ∥ b(indice,4) ∥ b_texto(tipo) ∥ hash_anterior
                          ∥ hash_objeto ∥ b_texto(tiempo))                             (14.2)

La clave es H_P (fija para el grupo), porque el tablero empieza antes de que existan H_B y H_E.
Quitar, insertar, reordenar o editar una entrada rompe la cadena (V-T1).  El archivo
``tablero.jsonl`` tiene una línea por entrada: ``{"entrada": {...}, "objeto": {...}}``, con el
documento completo en ``objeto``; así el registro entero se verifica leyéndolo una sola vez.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errores import ErrorDecodificacion, Motivo
from ..primitivas.hash import Dominio, H, b_entero4, b_texto
from ..serializacion import a_json, desde_json, texto_canonico

__all__ = ["HASH_INICIAL", "EntradaTablero", "EscritorTablero", "hash_entrada", "hash_objeto", "leer_tablero"]

#: hash_anterior de la primera entrada.
HASH_INICIAL = bytes(32)


@dataclass(frozen=True, slots=True)
class EntradaTablero:
    indice: int
    tipo: str
    hash_anterior: bytes
    hash_objeto: bytes
    tiempo: str
    hash_entrada: bytes


def hash_objeto(h_p: bytes, texto_canonico_documento: str) -> bytes:
    """Ecuación (14.1)."""
    return H(h_p, bytes([Dominio.OBJETO_TABLERO]) + texto_canonico_documento.encode("utf-8"))


def hash_entrada(h_p: bytes, indice: int, tipo: str, anterior: bytes, objeto: bytes, tiempo: str) -> bytes:
    """Ecuación (14.2)."""
    datos = bytes([Dominio.ENTRADA_TABLERO]) + b_entero4(indice) + b_texto(tipo) + anterior + objeto + b_texto(tiempo)
    return H(h_p, datos)


class EscritorTablero:
    """Agrega documentos al tablero y escribe ``tablero.jsonl`` línea a línea (nunca reescribe)."""

    def __init__(self, h_p: bytes, salida: IO[str]) -> None:
        self.h_p = h_p
        self._salida = salida
        self.indice = 0
        self.cabeza = HASH_INICIAL

    def agregar(self, documento_canonico: str, tiempo: str) -> EntradaTablero:
        """Agrega un documento ya serializado (``serializar``); devuelve su entrada."""
        tipo = json.loads(documento_canonico)["tipo"]
        h_obj = hash_objeto(self.h_p, documento_canonico)
        entrada = EntradaTablero(
            self.indice,
            tipo,
            self.cabeza,
            h_obj,
            tiempo,
            hash_entrada(self.h_p, self.indice, tipo, self.cabeza, h_obj, tiempo),
        )
        self._salida.write('{"entrada":' + texto_canonico(a_json(entrada)) + ',"objeto":' + documento_canonico + "}\n")
        self.indice += 1
        self.cabeza = entrada.hash_entrada
        return entrada


@dataclass(frozen=True, slots=True)
class LineaTablero:
    """Una línea leída: la entrada decodificada y el texto canónico exacto de su documento."""

    numero: int
    longitud: int
    entrada: EntradaTablero
    texto_objeto: str
    objeto: dict[str, Any]


def leer_tablero(ruta: Path) -> Iterator[LineaTablero]:
    """Lee ``tablero.jsonl`` en flujo (memoria acotada).  Lanza ``ErrorDecodificacion`` si una línea
    no es JSON, no tiene la forma {"entrada", "objeto"} o su documento no está en forma canónica."""
    # newline="" conserva los finales de línea tal cual: un «\r\n» no es canónico.
    with ruta.open("r", encoding="utf-8", newline="") as archivo:
        numero = 0
        while True:
            try:
                linea = archivo.readline()
            except UnicodeDecodeError as exc:
                raise ErrorDecodificacion(
                    Motivo.FORMATO_INVALIDO, f"La línea {numero + 1} del tablero no es UTF-8 válido.", linea=numero + 1
                ) from exc
            if not linea:
                return
            numero += 1
            try:
                datos = json.loads(linea)
            except ValueError as exc:
                raise ErrorDecodificacion(
                    Motivo.FORMATO_INVALIDO, f"La línea {numero} del tablero no es JSON.", linea=numero
                ) from exc
            if (
                not isinstance(datos, dict)
                or set(datos) != {"entrada", "objeto"}
                or not isinstance(datos["objeto"], dict)
            ):
                raise ErrorDecodificacion(
                    Motivo.FORMATO_INVALIDO, f"La línea {numero} no tiene la forma {{entrada, objeto}}.", linea=numero
                )
            entrada = desde_json(EntradaTablero, datos["entrada"], None)
            texto = texto_canonico(datos["objeto"])
            canonica = '{"entrada":' + texto_canonico(datos["entrada"]) + ',"objeto":' + texto + "}\n"
            if linea != canonica:
                raise ErrorDecodificacion(
                    Motivo.FORMATO_INVALIDO,
                    f"La línea {numero} del tablero no está en forma canónica (§10.2).",
                    linea=numero,
                )
            yield LineaTablero(numero, len(linea.encode("utf-8")), entrada, texto, datos["objeto"])
